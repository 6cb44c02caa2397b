using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Serving.Management;

/// <summary>
/// The pipeline's management API, with Durable Functions' conventions: a start answers 202 with Location and the
/// status/terminate URIs; a run's status is 202 while it is pending or running and 200 once it is done. The handlers
/// are public for hosts that route requests themselves (the Function App).
/// </summary>
public static class PipelineEndpoints
{
    public static RouteGroupBuilder MapPipelineApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/pipeline").WithTags("pipeline").RequireApiKey();
        group.MapPost("/runs", ManagementRequestBodies.StartRunAsync).WithName("StartRun")
            .WithSummary("Start a run of a dataset's current snapshot (202 + Location; an existing run of the same snapshot and options is returned).")
            .WithMetadata(new RequestBodyDocumentation(typeof(StartRunBody)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/runs", ListAsync).WithName("ListRuns").WithSummary("Runs, newest first; ?dataset= for one dataset's.");
        group.MapGet("/runs/{id}", GetAsync).WithName("GetRun").WithSummary("A run's status: 202 while pending or running, 200 once done.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/runs/{id}/terminate", TerminateAsync).WithName("TerminateRun").WithSummary("Stop a run and its trainer job.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/champion", ChampionAsync).WithName("GetChampion").WithSummary("The model in service and every promotion and rollback.");
        group.MapPost("/champion/rollback", ManagementRequestBodies.RollbackAsync).WithName("RollbackChampion")
            .WithSummary("Put the previous champion back in service.")
            .WithMetadata(new RequestBodyDocumentation(typeof(RollbackBody), Required: false))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapRunArtifacts();
        group.MapManualPromotion();
        return group;
    }

    public static async Task<Results<Accepted<StartRunResponse>, ProblemHttpResult>> StartAsync(StartRunBody? body, PipelineRunStarter starter, HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Dataset))
        {
            return TypedResults.Problem("The body must name a dataset: {\"dataset\": \"mrpc\"} (a folder under datasets/).", statusCode: 400, title: "Bad request");
        }

        try
        {
            var started = await starter.StartAsync(new RunRequest(body.Dataset, body.BaseModel, body.Training, body.Force, "api"), retryFailed: true, cancellationToken);
            string status = Url(request, $"/api/pipeline/runs/{started.RunId}");
            return TypedResults.Accepted(status, new StartRunResponse(started.RunId, status, status + "/terminate", started.Created, started.Status.ToString()));
        }
        catch (PipelineFailedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: 400, title: "Cannot start a run");
        }
    }

    public static async Task<Results<Ok<RunStatusResponse>, Accepted<RunStatusResponse>, ProblemHttpResult>> GetAsync(string id, [FromServices] RunStatusReader runs, HttpRequest request,
        CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        if (run is null)
        {
            return NotFound(id);
        }

        return run.RuntimeStatus is nameof(OrchestrationRuntimeStatus.Pending) or nameof(OrchestrationRuntimeStatus.Running)
            ? TypedResults.Accepted(Url(request, $"/api/pipeline/runs/{id}"), run)
            : TypedResults.Ok(run);
    }

    public static async Task<Ok<RunListResponse>> ListAsync(string? dataset, [FromServices] RunStatusReader runs, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RunListResponse(await runs.ListAsync(dataset, cancellationToken)));

    public static async Task<Results<Accepted, ProblemHttpResult>> TerminateAsync(string id, [FromServices] DurableTaskClient client, [FromServices] ArtifactStore store, CancellationToken cancellationToken)
    {
        var instance = await RunStatusReader.FindAsync(client, id, getInputsAndOutputs: false, cancellationToken);
        if (instance is null)
        {
            return NotFound(id);
        }

        // The flag stops the trainer job (the worker reads it with its heartbeat); terminating stops the orchestration.
        await store.WriteBytesAsync(ArtifactPaths.CancelFlag(id), "terminated through the API"u8.ToArray(), cancellationToken);
        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended)
        {
            await client.TerminateInstanceAsync(id, new TerminateInstanceOptions { Output = "terminated through the API" }, cancellationToken);
        }

        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Ok<ChampionResponse>> ChampionAsync([FromServices] ChampionStore champions, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ChampionResponse((await champions.GetAsync(cancellationToken))?.Pointer, await champions.HistoryAsync(cancellationToken)));

    public static async Task<Results<Ok<PromotionHistoryEntry>, ProblemHttpResult>> RollbackAsync(RollbackBody? body, ChampionStore champions, CancellationToken cancellationToken)
    {
        var entry = await champions.RollbackAsync(body?.Reason ?? "rollback requested through the API", cancellationToken);
        return entry is null
            ? TypedResults.Problem("There is no previous champion to go back to.", statusCode: 409, title: "Nothing to roll back")
            : TypedResults.Ok(entry);
    }

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem($"No run '{id}'. List runs with GET /api/pipeline/runs.", statusCode: 404, title: "Not found");

    private static string Url(HttpRequest request, string path) => $"{request.Scheme}://{request.Host}{request.PathBase}{path}";
}
