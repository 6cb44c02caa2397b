using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Serving.Management;

namespace Paraphrase.Functions.Http;

/// <summary>The pipeline's management API as HTTP functions, on the same routes and handlers as the local host's.</summary>
public static class ManagementFunctions
{
    [Function("StartRun")]
    public static async Task<IResult> StartRun([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/pipeline/runs")] HttpRequest request,
        [DurableClient] DurableTaskClient client, FunctionContext function) =>
        await ManagementRequestBodies.StartRunAsync(request, new PipelineRunStarter(client, Service<RunPlanner>(function)), function.CancellationToken);

    [Function("ListRuns")]
    public static async Task<IResult> ListRuns([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/pipeline/runs")] HttpRequest request,
        [DurableClient] DurableTaskClient client, FunctionContext function) =>
        await PipelineEndpoints.ListAsync(request.Query["dataset"].FirstOrDefault(), Runs(client, function), function.CancellationToken);

    [Function("GetRun")]
    public static async Task<IResult> GetRun([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/pipeline/runs/{id}")] HttpRequest request, string id,
        [DurableClient] DurableTaskClient client, FunctionContext function) =>
        await PipelineEndpoints.GetAsync(id, Runs(client, function), request, function.CancellationToken);

    [Function("TerminateRun")]
    public static async Task<IResult> TerminateRun([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/pipeline/runs/{id}/terminate")] HttpRequest request,
        string id, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        await PipelineEndpoints.TerminateAsync(id, client, Service<ArtifactStore>(function), function.CancellationToken);

    [Function("GetChampion")]
    public static async Task<IResult> GetChampion([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/pipeline/champion")] HttpRequest request,
        FunctionContext function) =>
        await PipelineEndpoints.ChampionAsync(Service<ChampionStore>(function), function.CancellationToken);

    [Function("RollbackChampion")]
    public static async Task<IResult> RollbackChampion([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/pipeline/champion/rollback")] HttpRequest request,
        FunctionContext function) =>
        await ManagementRequestBodies.RollbackAsync(request, Service<ChampionStore>(function), function.CancellationToken);

    [Function("PromoteChampion")]
    public static async Task<IResult> PromoteChampion([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/pipeline/champion/promote")] HttpRequest request,
        FunctionContext function) =>
        await ManagementRequestBodies.PromoteAsync(request, Service<ManualPromotion>(function), function.CancellationToken);

    [Function("ListRunArtifacts")]
    public static async Task<IResult> ListRunArtifacts([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/pipeline/runs/{id}/artifacts")] HttpRequest request,
        string id, FunctionContext function) =>
        await RunArtifactEndpoints.ListArtifactsAsync(id, Service<RunArtifacts>(function), function.CancellationToken);

    [Function("GetRunArtifact")]
    public static Task<IResult> GetRunArtifact([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/pipeline/runs/{id}/artifacts/{*path}")] HttpRequest request,
        string id, string? path, FunctionContext function) =>
        RunArtifactEndpoints.GetArtifactAsync(id, path, Service<RunArtifacts>(function), request.HttpContext, function.CancellationToken);

    private static RunStatusReader Runs(DurableTaskClient client, FunctionContext function) => new(client, Service<ArtifactStore>(function));

    private static T Service<T>(FunctionContext function) where T : notnull => function.InstanceServices.GetRequiredService<T>();
}
