// The whole pipeline in one resource group: storage (artifacts, the durable task hub, the function app's package),
// the Flex Consumption Function App (orchestration, triggers, HTTP API, inference), the Service Bus queue of trainer
// jobs, and the GPU trainer: an event-driven Container Apps job on serverless GPUs, scaled by KEDA on that queue.
// Every identity reaches every service with Microsoft Entra ID; no key or connection string is handed out.
// The Event Grid subscription that feeds the blob trigger is in eventgrid.bicep: it needs the blob extension's key,
// which exists only once the code is deployed (hooks/postdeploy.sh).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds every resource name and is tagged on everything.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer both Flex Consumption and Container Apps serverless GPUs (see infra/README.md).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user (azd fills it in); gets blob data access so datasets can be uploaded with --auth-mode login. Empty: none.')
param principalId string = ''

@allowed(['T4', 'A100'])
@description('GPU for the trainer job: T4 (16 GB, cheaper) or A100 (80 GB).')
param gpuProfile string = 'T4'

@minValue(1)
@maxValue(10)
@description('Trainer executions allowed at once: one GPU each, so no more than the subscription\'s serverless GPU quota.')
param maxTrainerExecutions int = 1

@description('The trainer image in the registry (azd sets it after deploying the worker service). Empty: a public placeholder until then.')
param workerImage string = ''

@description('Base model of runs that do not name one (Pipeline__DefaultBaseModel).')
param defaultBaseModel string = 'bert-base-uncased'

@description('Retraining schedule of datasets that do not set one: a 5-field cron expression in UTC (Pipeline__DefaultSchedule).')
param defaultSchedule string = '0 3 * * 0'

@description('How often the timer trigger looks for datasets due for retraining: a 6-field NCRONTAB expression (RetrainCheckSchedule).')
param retrainCheckSchedule string = '0 */15 * * * *'

@allowed([512, 2048, 4096])
@description('Memory of each Function App instance, in MB (ONNX Runtime evaluates and serves in the app).')
param functionInstanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Most Function App instances at once.')
param functionMaximumInstanceCount int = 40

// Names: each may be given; the defaults follow the Cloud Adoption Framework's abbreviations plus a token unique to
// this subscription, environment and region.
param resourceGroupName string = ''
param storageAccountName string = ''
param functionAppName string = ''
param functionPlanName string = ''
param logAnalyticsName string = ''
param applicationInsightsName string = ''
param serviceBusNamespaceName string = ''
param containerRegistryName string = ''
param containerAppsEnvironmentName string = ''
param trainerJobName string = ''
param trainerIdentityName string = ''
param eventGridTopicName string = ''

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var jobQueue = 'trainer-jobs'
var names = {
  storage: empty(storageAccountName) ? 'st${token}' : storageAccountName
  functionApp: empty(functionAppName) ? 'func-${token}' : functionAppName
  functionPlan: empty(functionPlanName) ? 'plan-${token}' : functionPlanName
  logAnalytics: empty(logAnalyticsName) ? 'log-${token}' : logAnalyticsName
  applicationInsights: empty(applicationInsightsName) ? 'appi-${token}' : applicationInsightsName
  serviceBus: empty(serviceBusNamespaceName) ? 'sb-${token}' : serviceBusNamespaceName
  registry: empty(containerRegistryName) ? 'cr${token}' : containerRegistryName
  environment: empty(containerAppsEnvironmentName) ? 'cae-${token}' : containerAppsEnvironmentName
  trainerJob: empty(trainerJobName) ? 'caj-trainer-${token}' : trainerJobName
  trainerIdentity: empty(trainerIdentityName) ? 'id-trainer-${token}' : trainerIdentityName
  eventGridTopic: empty(eventGridTopicName) ? 'evgt-${token}' : eventGridTopicName
  // Flex Consumption reads the app package from this container.
  deploymentContainer: 'app-package-${token}'
}

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: names.storage
    deploymentContainerName: names.deploymentContainer
    eventGridTopicName: names.eventGridTopic
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'service-bus'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: names.serviceBus
    queueName: jobQueue
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: names.registry
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'function-app'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: names.functionApp
    planName: names.functionPlan
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    deploymentContainerName: names.deploymentContainer
    applicationInsightsName: names.applicationInsights
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    jobQueue: jobQueue
    defaultBaseModel: defaultBaseModel
    defaultSchedule: defaultSchedule
    retrainCheckSchedule: retrainCheckSchedule
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
  }
  dependsOn: [monitoring]
}

module trainerIdentity 'modules/identity.bicep' = {
  name: 'trainer-identity'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: names.trainerIdentity
  }
}

// Every role assignment of every identity, in one place. Resources are named, not passed as outputs, so that
// what-if can predict the assignments.
module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: resourceGroup
  params: {
    storageAccountName: names.storage
    serviceBusNamespaceName: names.serviceBus
    jobQueueName: jobQueue
    registryName: names.registry
    applicationInsightsName: names.applicationInsights
    functionAppName: names.functionApp
    trainerIdentityName: names.trainerIdentity
    deployerPrincipalId: principalId
  }
  dependsOn: [storage, serviceBus, registry, monitoring, functionApp, trainerIdentity]
}

module trainer 'modules/trainer.bicep' = {
  name: 'trainer'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    environmentName: names.environment
    jobName: names.trainerJob
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    gpuProfile: gpuProfile
    maxExecutions: maxTrainerExecutions
    image: workerImage
    registryServer: registry.outputs.loginServer
    identityId: trainerIdentity.outputs.id
    identityClientId: trainerIdentity.outputs.clientId
    serviceBusNamespaceName: serviceBus.outputs.name
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    jobQueue: jobQueue
    storageBlobEndpoint: storage.outputs.blobEndpoint
  }
  // The job pulls its image and its scaler reads the queue as the trainer identity: those roles must exist first.
  dependsOn: [roles]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_EVENT_GRID_TOPIC_NAME string = storage.outputs.eventGridTopicName
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_TRAINER_JOB_NAME string = trainer.outputs.jobName
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = trainer.outputs.environmentName
