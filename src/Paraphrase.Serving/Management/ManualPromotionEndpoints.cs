using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Promotion;

namespace Paraphrase.Serving.Management;

/// <summary>
/// <c>POST /api/pipeline/champion/promote</c>: a person puts a run into service, past the gate's comparison but never
/// past its parity check (<see cref="ManualPromotion"/>); the promotion is recorded in the history with who and why.
/// </summary>
public static class ManualPromotionEndpoints
{
    /// <summary>Longest "by" and "reason" accepted: they go into every history listing.</summary>
    public const int MaxByLength = 100, MaxReasonLength = 500;

    /// <summary>Maps the endpoint onto the management API's group (<see cref="PipelineEndpoints.MapPipelineApi"/>).</summary>
    public static RouteGroupBuilder MapManualPromotion(this RouteGroupBuilder group)
    {
        group.MapPost("/champion/promote", ManagementRequestBodies.PromoteAsync).WithName("PromoteChampion")
            .WithSummary("Put a run in service by hand: past the gate's comparison, never past its parity check; recorded with who and why.")
            .WithMetadata(new RequestBodyDocumentation(typeof(PromoteBody)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return group;
    }

    public static async Task<Results<Ok<PromotionHistoryEntry>, ProblemHttpResult>> PromoteAsync(PromoteBody? body, ManualPromotion promotion,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.RunId) || string.IsNullOrWhiteSpace(body.By) || string.IsNullOrWhiteSpace(body.Reason))
        {
            return TypedResults.Problem("The body must name the run, who promotes it and why: {\"runId\": \"mrpc-0123456789ab\", \"by\": \"alice\", \"reason\": \"...\"}.",
                statusCode: 400, title: "Bad request");
        }

        if (body.By.Length > MaxByLength || body.Reason.Length > MaxReasonLength)
        {
            return TypedResults.Problem($"\"by\" may be at most {MaxByLength} characters and \"reason\" at most {MaxReasonLength}.", statusCode: 400, title: "Bad request");
        }

        var result = await promotion.PromoteAsync(body.RunId.Trim(), body.By.Trim(), body.Reason.Trim(), cancellationToken);
        return result.Outcome switch
        {
            ManualPromotionOutcome.Promoted => TypedResults.Ok(result.Entry!),
            ManualPromotionOutcome.NoSuchRun => TypedResults.Problem($"{result.Detail} List runs with GET /api/pipeline/runs.", statusCode: 404, title: "Not found"),
            ManualPromotionOutcome.Busy => TypedResults.Problem(result.Detail, statusCode: 503, title: "Busy"),
            _ => TypedResults.Problem(result.Detail, statusCode: 409, title: "Cannot promote"),
        };
    }
}
