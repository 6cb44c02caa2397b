namespace Paraphrase.Hosting;

/// <summary>Settings of the local durable backend (DTFx's Azure Storage provider) that matter on a developer machine.</summary>
public sealed record LocalDurableOptions
{
    /// <summary>The storage account of the task hub: Azurite's by default.</summary>
    public string StorageConnection { get; init; } = Pipeline.Storage.StorageAccount.DevelopmentStorage;

    public string TaskHub { get; init; } = "paraphrase";

    /// <summary>A fixed worker id: with the machine name (the default) a renamed host would wait for its old lease.</summary>
    public string WorkerId { get; init; } = "paraphrase-host";

    /// <summary>How long a crashed host's orchestration messages stay invisible, i.e. how soon a restarted host resumes its runs.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How soon an activity that was in flight in a crashed host runs again. The sidecar does not renew activity locks,
    /// so this must exceed the longest activity; the pipeline keeps activities short (long work runs as trainer jobs).
    /// </summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest wait between queue polls when idle (latency of the first step of a new run).</summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Loopback port of the gRPC sidecar; 0 picks a free one.</summary>
    public int SidecarPort { get; init; }
}
