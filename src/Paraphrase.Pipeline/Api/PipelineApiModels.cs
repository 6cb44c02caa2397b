using System.Text.Json.Nodes;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Promotion;

namespace Paraphrase.Pipeline.Api;

/// <summary>Body of <c>POST /api/pipeline/runs</c>.</summary>
public sealed record StartRunBody(string? Dataset, string? BaseModel, JsonObject? Training, bool Force = false);

/// <summary>The 202 answer to a start, in Durable Functions' shape.</summary>
public sealed record StartRunResponse(string Id, string StatusQueryGetUri, string TerminatePostUri, bool Created, string RuntimeStatus);

/// <summary>A run as <c>GET /api/pipeline/runs/{id}</c> shows it.</summary>
public sealed record RunStatusResponse(
    string Id,
    string Dataset,
    string RuntimeStatus,
    string? Stage,
    JobProgress? Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    RunOutputView? Output,
    RunErrorView? Error);

public sealed record RunOutputView(MetricSummary Metrics, bool Promoted, string Reason, string Model, MetricSummary? ChampionMetrics);

public sealed record RunErrorView(string Message);

public sealed record RunListResponse(IReadOnlyList<RunStatusResponse> Runs);

/// <summary>The served model and every decision that led to it.</summary>
public sealed record ChampionResponse(Core.Artifacts.ChampionPointerFile? Current, IReadOnlyList<PromotionHistoryEntry> History);

public sealed record RollbackBody(string? Reason);
