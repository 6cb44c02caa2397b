// Log Analytics for every log (the Function App through Application Insights, the trainer job through the Container
// Apps environment's diagnostic settings) and Application Insights with local (instrumentation key) auth disabled:
// the Function App sends telemetry with its managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
param location string
param tags object
param logAnalyticsName string
param applicationInsightsName string

@minValue(30)
@description('Days Log Analytics keeps logs.')
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output logAnalyticsWorkspaceId string = workspace.id
output applicationInsightsName string = applicationInsights.name
