// The GPU trainer: a Container Apps environment with a serverless GPU workload profile, and an event-driven job on it.
// KEDA's azure-servicebus scaler starts one execution per waiting trainer-job message (signing in as the trainer
// identity); each execution runs `paraphrase worker` for one job and exits, so the GPU is billed only while it trains.
param location string
param tags object
param environmentName string
param jobName string
param logAnalyticsWorkspaceId string

@allowed(['T4', 'A100'])
param gpuProfile string
param maxExecutions int
@description('Image reference; empty until the worker service is deployed, then azd passes the pushed image.')
param image string
param registryServer string
param identityId string
param identityClientId string
param serviceBusNamespaceName string
param serviceBusNamespace string
param jobQueue string
param storageBlobEndpoint string

@minValue(600)
@description('Longest one execution may run, in seconds; a fine-tune that runs longer is stopped and resumes from its last checkpoint in the next execution.')
param replicaTimeout int = 14400

// Serverless GPU profiles (Consumption GPU); a replica gets the whole GPU and the profile's CPU and memory.
var gpuProfiles = {
  T4: {
    workloadProfileType: 'Consumption-GPU-NC8as-T4'
    cpu: '8'
    memory: '56Gi'
  }
  A100: {
    workloadProfileType: 'Consumption-GPU-NC24-A100'
    cpu: '24'
    memory: '220Gi'
  }
}
var gpu = gpuProfiles[gpuProfile]
var gpuProfileName = 'gpu'

// Until `azd deploy` pushes the worker image, the job points at a public sample image so that provisioning succeeds.
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs go to Log Analytics through the diagnostic settings below, so no workspace key is handed to the environment.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpu.workloadProfileType
      }
    ]
    zoneRedundant: false
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-workspace'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource job 'Microsoft.App/jobs@2025-01-01' = {
  name: jobName
  location: location
  // azd deploys the 'worker' service of azure.yaml to the Container Apps job with this tag.
  tags: union(tags, { 'azd-service-name': 'worker' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: 'Event'
      replicaTimeout: replicaTimeout
      // A replica that exits with an error is started once more; the job's message is redelivered either way.
      replicaRetryLimit: 1
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      eventTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: maxExecutions
          pollingInterval: 30
          rules: [
            {
              name: 'trainer-jobs'
              type: 'azure-servicebus'
              metadata: {
                namespace: serviceBusNamespaceName
                queueName: jobQueue
                messageCount: '1'
              }
              identity: identityId
            }
          ]
        }
      }
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: empty(image) ? placeholderImage : image
          // One job per execution; an execution started for a message another one took exits after 2 idle minutes.
          command: ['paraphrase', 'worker', '--max-jobs', '1', '--idle-exit', '2m']
          args: [
            '--transport'
            'service-bus'
            '--service-bus'
            serviceBusNamespace
            '--queue'
            jobQueue
            '--storage'
            storageBlobEndpoint
            '--device'
            'cuda'
          ]
          env: [
            // DefaultAzureCredential signs in as the trainer identity (an https --storage endpoint means Entra ID).
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
          ]
          resources: {
            cpu: json(gpu.cpu)
            memory: gpu.memory
          }
        }
      ]
    }
  }
}

output jobName string = job.name
output environmentName string = environment.name
