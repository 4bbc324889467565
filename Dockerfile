# telemetry-rollout-operator image. Build from the repository root:
#   docker build -t telemetry-rollout-operator:dev .
# Stage 1 compiles with Debian bookworm's packages (the versions the project is built against);
# stage 2 carries only the binary and the shared libraries it loads, and runs as non-root 65532.

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake ninja-build g++ pkg-config \
      libcpprest-dev libyaml-cpp-dev nlohmann-json3-dev libssl-dev \
      libgtest-dev libgmock-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The root CMakeLists.txt requires GoogleTest even for the binary alone, hence libgtest-dev above.
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build --target telemetry-rollout-operator kubectl-telemetry \
 && strip /build/operator/telemetry-rollout-operator /build/plugin/kubectl-telemetry

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcpprest2.10 libyaml-cpp0.7 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/operator/telemetry-rollout-operator /usr/local/bin/telemetry-rollout-operator
# The kubectl plugin, for `kubectl debug`/`kubectl exec` sessions and for copying out of the image.
COPY --from=build /build/plugin/kubectl-telemetry /usr/local/bin/kubectl-telemetry
COPY plugin/kubectl_complete-telemetry /usr/local/bin/kubectl_complete-telemetry
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["/usr/local/bin/telemetry-rollout-operator"]
