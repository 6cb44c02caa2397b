namespace Paraphrase.Serving;

/// <summary>Limits and batching of the HTTP service.</summary>
public sealed record ServingOptions
{
    /// <summary>Most pairs one request may carry.</summary>
    public int MaxPairsPerRequest { get; init; } = 64;

    /// <summary>Largest request body in bytes.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most pairs one ONNX Runtime call takes.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Most tokens (batch size × longest pair) one call takes, so long pairs do not blow up padding.</summary>
    public int MaxBatchTokens { get; init; } = 8192;

    /// <summary>How long the first pair of a batch waits for others to join.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Pairs waiting beyond this are refused with 503 and Retry-After (back-pressure).</summary>
    public int QueueCapacity { get; init; } = 2048;

    /// <summary>Serve without API keys (<c>--no-auth</c>); the keys themselves come from configuration (<see cref="ServingApiKeys"/>).</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>How often the champion pointer is checked for a new model.</summary>
    public TimeSpan ChampionPollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
