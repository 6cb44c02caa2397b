namespace Paraphrase.Pipeline.Api;

/// <summary>Body of <c>POST /api/pipeline/champion/promote</c>: which run to serve, who asks and why (all three required).</summary>
public sealed record PromoteBody(string? RunId, string? Reason, string? By);
