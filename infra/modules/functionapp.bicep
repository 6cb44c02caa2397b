// The Flex Consumption Function App: the orchestration and its activities, the blob trigger on datasets/ (Event Grid
// source), the retraining timer, the management API and POST /api/paraphrase. Its system-assigned identity reaches
// storage, Service Bus and Application Insights; its settings name endpoints, never secrets.
param location string
param tags object
param name string
param planName string
param storageAccountName string
param storageBlobEndpoint string
param storageQueueEndpoint string
param deploymentContainerName string
param applicationInsightsName string
param serviceBusNamespace string
param jobQueue string
param defaultBaseModel string
param defaultSchedule string
param retrainCheckSchedule string
param instanceMemoryMB int
param maximumInstanceCount int

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  // azd finds the 'functions' service of azure.yaml by this tag.
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      // The contract with the code: exactly the names of Paraphrase.Functions.FunctionAppSettings.Names
      // (tests/Paraphrase.Infra.Tests). Flex Consumption sets the worker runtime and extension version itself.
      appSettings: [
        // Host storage and the durable task hub (Azure Storage provider), through the managed identity.
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        // The dashboard is served at "/", in place of the host's default home page.
        { name: 'AzureWebJobsDisableHomepage', value: 'true' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        // The artifact store (datasets, runs, models) and the blob trigger's connection "ArtifactStorage".
        { name: 'ArtifactStorage__blobServiceUri', value: storageBlobEndpoint }
        { name: 'ArtifactStorage__queueServiceUri', value: storageQueueEndpoint }
        // Trainer jobs go to the GPU worker over Service Bus.
        { name: 'Pipeline__Transport', value: 'service-bus' }
        { name: 'Pipeline__ServiceBus', value: serviceBusNamespace }
        { name: 'Pipeline__JobQueue', value: jobQueue }
        { name: 'Pipeline__DefaultBaseModel', value: defaultBaseModel }
        { name: 'Pipeline__DefaultSchedule', value: defaultSchedule }
        { name: 'RetrainCheckSchedule', value: retrainCheckSchedule }
      ]
    }
  }
}

// Deployments authenticate with Microsoft Entra ID; publishing passwords stay off.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
output principalId string = site.identity.principalId
