using Microsoft.Extensions.Configuration;
using Paraphrase.Pipeline;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Functions;

/// <summary>
/// Every app setting the Function App reads, by the name it has in Azure (the infrastructure provides exactly these;
/// a contract test holds both sides to it). Connections are identity-based: account names and endpoints, no keys.
/// </summary>
public static class FunctionAppSettings
{
    /// <summary>The Functions host's own storage: the Durable task hub (Azure Storage provider) and the host's leases.</summary>
    public const string HostStorage = "AzureWebJobsStorage__accountName";

    public const string ApplicationInsightsConnection = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>Authorization=AAD</c>: telemetry is sent with the app's identity, not the connection string's key.</summary>
    public const string ApplicationInsightsAuthentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The connection name of the artifact account (datasets, runs, models), used by the blob trigger and the pipeline.</summary>
    public const string ArtifactConnection = "ArtifactStorage";

    public const string ArtifactBlobServiceUri = ArtifactConnection + "__blobServiceUri";

    /// <summary>Read by the blob extension (its Event Grid trigger keeps its poison queue there) and by the Storage Queue transport.</summary>
    public const string ArtifactQueueServiceUri = ArtifactConnection + "__queueServiceUri";

    /// <summary><c>service-bus</c> in Azure (the GPU job scales on that queue) or <c>storage-queue</c>.</summary>
    public const string Transport = "Pipeline__Transport";

    /// <summary>The Service Bus namespace (<c>name.servicebus.windows.net</c>), reached with the app's identity.</summary>
    public const string ServiceBus = "Pipeline__ServiceBus";

    public const string JobQueue = "Pipeline__JobQueue";

    public const string DefaultBaseModel = "Pipeline__DefaultBaseModel";

    /// <summary>Scheduled retraining (five-field cron, UTC) for datasets whose pipeline.json has no schedule; empty for none.</summary>
    public const string DefaultSchedule = "Pipeline__DefaultSchedule";

    /// <summary>How often the timer trigger looks for due retraining (six-field NCRONTAB, as timer triggers read it).</summary>
    public const string RetrainCheckSchedule = "RetrainCheckSchedule";

    /// <summary><c>true</c>: the host's default home page gives "/" up to the dashboard.</summary>
    public const string DisableHomepage = "AzureWebJobsDisableHomepage";

    public static IReadOnlyList<string> Names { get; } =
    [
        HostStorage, DisableHomepage, ApplicationInsightsConnection, ApplicationInsightsAuthentication, ArtifactBlobServiceUri, ArtifactQueueServiceUri,
        Transport, ServiceBus, JobQueue, DefaultBaseModel, DefaultSchedule, RetrainCheckSchedule,
    ];

    /// <summary>The pipeline's options from app settings (or local.settings.json); unset ones keep the pipeline's defaults.</summary>
    /// <exception cref="ArgumentException">A transport that is not one, or Service Bus without a namespace.</exception>
    public static PipelineOptions ReadPipeline(IConfiguration configuration)
    {
        var defaults = new PipelineOptions();
        var transport = new JobTransportSettings
        {
            Kind = Value(configuration, Transport) is { } kind ? JobTransportSettings.ParseKind(kind) : defaults.Transport.Kind,
            ServiceBus = Value(configuration, ServiceBus),
        };
        transport.Validate();
        return defaults with
        {
            Transport = transport,
            JobQueue = Value(configuration, JobQueue) ?? defaults.JobQueue,
            DefaultBaseModel = Value(configuration, DefaultBaseModel) ?? defaults.DefaultBaseModel,
            DefaultSchedule = Value(configuration, DefaultSchedule) ?? defaults.DefaultSchedule,
        };
    }

    /// <summary>The artifact account: a connection string under <c>ArtifactStorage</c> (Azurite locally) or its blob endpoint for the app's identity.</summary>
    /// <exception cref="InvalidOperationException">Neither is set.</exception>
    public static StorageAccount ConnectArtifacts(IConfiguration configuration)
    {
        if (Value(configuration, ArtifactConnection) is { } connection)
        {
            return StorageAccount.Connect(connection);
        }

        string blobs = Value(configuration, ArtifactBlobServiceUri) ?? throw new InvalidOperationException(
            $"The artifact storage is not configured: set {ArtifactBlobServiceUri} to the account's blob endpoint (identity-based) or {ArtifactConnection} to a connection string (UseDevelopmentStorage=true for Azurite).");
        return StorageAccount.Connect(blobs, Value(configuration, ArtifactQueueServiceUri));
    }

    /// <summary>An app setting by its Azure name (<c>A__b</c> is <c>A:b</c> in configuration); blank counts as unset.</summary>
    private static string? Value(IConfiguration configuration, string name) =>
        configuration[name.Replace("__", ":", StringComparison.Ordinal)] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
