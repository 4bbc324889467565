{{/* Names, truncated to the 63 characters a label value allows. */}}
{{- define "tro.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tro.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "tro.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "tro.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "tro.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tro.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Selector labels never change after install: a Deployment's selector is immutable. */}}
{{- define "tro.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tro.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{- define "tro.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tro.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: telemetry-rollout-operator
{{- end }}

{{/* The rules the operator needs in every namespace it watches (least privilege, no Secrets). */}}
{{- define "tro.watchRules" -}}
- apiGroups: [apps]
  resources: [deployments, statefulsets, daemonsets]
  verbs: [get, list, watch, patch, update]
- apiGroups: [rollout.telemetry.io]
  resources: [telemetryrollouts]
  verbs: [get, list, watch, update, patch]
- apiGroups: [rollout.telemetry.io]
  resources: [telemetryrollouts/status]
  verbs: [get, update, patch]
- apiGroups: [rollout.telemetry.io]
  resources: [telemetryrollouts/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end }}
