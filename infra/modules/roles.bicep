// Every identity's roles, each on the narrowest scope that works.
//
// Function App (system-assigned):
//   storage account  Storage Blob Data Owner        host keys and leases, the deployment package, the blob trigger
//                                                    (Event Grid source), the artifact store
//                    Storage Queue Data Contributor  the durable task hub's control and work-item queues, the blob
//                                                    trigger's poison queue
//                    Storage Table Data Contributor  the durable task hub's history and instance tables
//   job queue        Azure Service Bus Data Sender   dispatching trainer jobs
//   App Insights     Monitoring Metrics Publisher    telemetry with Microsoft Entra auth (local auth is off)
// Trainer (user-assigned, shared by the job's image pull, its KEDA scaler and the worker process):
//   storage account  Storage Blob Data Contributor   staging inputs, job.json heartbeats, run leases, checkpoints, results
//   job queue        Azure Service Bus Data Receiver peek-lock, renew, complete, abandon, dead-letter
//                    Azure Service Bus Data Owner    the KEDA azure-servicebus scaler reads the queue's message count
//                                                    through the management API, which needs the Manage right; no
//                                                    narrower built-in role carries it, so it is granted on the queue only
//   registry         AcrPull                         the job pulls its image with this identity (the admin user is off)
// Deploying user (optional): Storage Blob Data Contributor, to upload datasets with --auth-mode login.
param storageAccountName string
param serviceBusNamespaceName string
param jobQueueName string
param registryName string
param applicationInsightsName string
param functionAppName string
param trainerIdentityName string
@description('Object id of the deploying user; empty: no assignment.')
param deployerPrincipalId string

var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource queue 'queues' existing = {
    name: jobQueueName
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource trainerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: trainerIdentityName
}

// Assignment names derive from the identities' resource ids (known before deployment), not their principal ids.
var functionAppPrincipalId = functionApp.identity.principalId
var trainerPrincipalId = trainerIdentity.properties.principalId

var functionAppStorageRoles = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

resource functionAppStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in functionAppStorageRoles: {
    name: guid(storage.id, functionApp.id, role)
    scope: storage
    properties: {
      principalId: functionAppPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource functionAppQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus::queue.id, functionApp.id, roleIds.serviceBusDataSender)
  scope: serviceBus::queue
  properties: {
    principalId: functionAppPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataSender)
  }
}

resource functionAppTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionApp.id, roleIds.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: functionAppPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.monitoringMetricsPublisher
    )
  }
}

resource trainerStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, trainerIdentity.id, roleIds.storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.storageBlobDataContributor
    )
  }
}

var trainerQueueRoles = [
  roleIds.serviceBusDataReceiver
  roleIds.serviceBusDataOwner
]

resource trainerQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in trainerQueueRoles: {
    name: guid(serviceBus::queue.id, trainerIdentity.id, role)
    scope: serviceBus::queue
    properties: {
      principalId: trainerPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource trainerPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, trainerIdentity.id, roleIds.acrPull)
  scope: registry
  properties: {
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.acrPull)
  }
}

resource deployerStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage.id, deployerPrincipalId, roleIds.storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.storageBlobDataContributor
    )
  }
}
