#pragma once
// Result<T, E>: a value or an error, for recoverable failures (STYLE.md: errors are values).
// Deliberately small: ok(), value(), error(), and Result<void, E> for operations without a value.
// Accessing value() on an error (or error() on a value) is a programming error and asserts.

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

namespace tro::base {

template <typename E>
struct Unexpected {
  E error;
};

template <typename E>
Unexpected<std::decay_t<E>> fail(E&& e) {
  return Unexpected<std::decay_t<E>>{std::forward<E>(e)};
}

template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <typename E2>
  Result(Unexpected<E2> u) : v_(std::in_place_index<1>, E(std::move(u.error))) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  E&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, E> v_;
};

template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <typename E2>
  Result(Unexpected<E2> u) : e_(E(std::move(u.error))) {}  // NOLINT

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const E& error() const& {
    assert(!ok());
    return *e_;
  }
  E&& error() && {
    assert(!ok());
    return std::move(*e_);
  }

 private:
  std::optional<E> e_;
};

}  // namespace tro::base
