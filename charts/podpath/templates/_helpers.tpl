{{/* Chart name, truncated for label limits. */}}
{{- define "podpath.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name prefix. */}}
{{- define "podpath.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "podpath.agentName" -}}
{{- printf "%s-agent" (include "podpath.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "podpath.aggregatorName" -}}
{{- printf "%s-aggregator" (include "podpath.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource; pass (dict "ctx" $ "component" "agent"). */}}
{{- define "podpath.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: podpath
{{ include "podpath.selectorLabels" . }}
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "podpath.selectorLabels" -}}
app.kubernetes.io/name: {{ include "podpath.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* image reference: repository@digest or repository:tag; pass (dict "image" .. "ctx" $). */}}
{{- define "podpath.image" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/* Names of the two TLS Secrets, whatever their source. */}}
{{- define "podpath.agentTlsSecret" -}}
{{- if eq .Values.tls.mode "secret" }}
{{- required "tls.secret.agent is required when tls.mode=secret" .Values.tls.secret.agent }}
{{- else }}
{{- printf "%s-tls" (include "podpath.agentName" .) }}
{{- end }}
{{- end }}

{{- define "podpath.aggregatorTlsSecret" -}}
{{- if eq .Values.tls.mode "secret" }}
{{- required "tls.secret.aggregator is required when tls.mode=secret" .Values.tls.secret.aggregator }}
{{- else }}
{{- printf "%s-tls" (include "podpath.aggregatorName" .) }}
{{- end }}
{{- end }}

{{/* The Lease name used for leader election among aggregator replicas. */}}
{{- define "podpath.leaseName" -}}
{{- include "podpath.aggregatorName" . }}
{{- end }}

{{/* The Secret with the exposed CLI port's server certificate and client CA. */}}
{{- define "podpath.aggregatorCliTlsSecret" -}}
{{- $e := .Values.aggregator.exposeCli }}
{{- if $e.secretName }}
{{- $e.secretName }}
{{- else if eq .Values.tls.mode "certManager" }}
{{- printf "%s-cli-tls" (include "podpath.aggregatorName" .) }}
{{- else }}
{{- fail "aggregator.exposeCli.enabled needs aggregator.exposeCli.secretName (or tls.mode=certManager): the exposed CLI port is mTLS only" }}
{{- end }}
{{- end }}
