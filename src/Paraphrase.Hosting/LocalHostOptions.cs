using Paraphrase.Inference;
using Paraphrase.Serving;
using Paraphrase.Pipeline;
using Paraphrase.Worker;

namespace Paraphrase.Hosting;

/// <summary>Everything <c>paraphrase host</c> can be told.</summary>
public sealed record LocalHostOptions
{
    /// <summary>Where the HTTP API listens.</summary>
    public string Url { get; init; } = "http://127.0.0.1:8080";

    /// <summary>The artifact and task-hub storage; with Azurite's connection string, Azurite is started when nothing listens yet.</summary>
    public string Storage { get; init; } = Paraphrase.Pipeline.Storage.StorageAccount.DevelopmentStorage;

    /// <summary>Local state: Azurite's data, caches, the worker's scratch space.</summary>
    public string DataDirectory { get; init; } = ".paraphrase";

    /// <summary>Run the trainer worker in this process (off for workers started separately).</summary>
    public bool RunWorker { get; init; } = true;

    public ServingOptions Serving { get; init; } = new();

    /// <summary>API keys from the command line, added to the host's configuration (where <see cref="ServingApiKeys"/> reads them).</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    public InferenceOptions Inference { get; init; } = new();

    public PipelineOptions Pipeline { get; init; } = new();

    public TrainerWorkerOptions Worker { get; init; } = new();

    public LocalDurableOptions Durable { get; init; } = new();
}
