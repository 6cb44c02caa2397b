using Microsoft.DurableTask.Client;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Api;

/// <summary>
/// A run's status for people and tools: the orchestration's state and custom status, with training progress taken
/// from job.json when it is fresher (the worker writes it every few seconds; the orchestration polls it less often).
/// </summary>
public sealed class RunStatusReader(DurableTaskClient client, ArtifactStore store)
{
    /// <returns>Null when <paramref name="id"/> names no run (other orchestrations, such as an upload's settle, are not runs).</returns>
    public async Task<RunStatusResponse?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var instance = await FindAsync(client, id, getInputsAndOutputs: true, cancellationToken);
        return instance is null ? null : await ViewAsync(instance, cancellationToken);
    }

    /// <summary>The training run <paramref name="id"/>: null for an id that is not a run id or names another kind of orchestration.</summary>
    public static async Task<OrchestrationMetadata?> FindAsync(DurableTaskClient client, string id, bool getInputsAndOutputs, CancellationToken cancellationToken)
    {
        if (!RunArtifacts.IsRunId(id))
        {
            return null;
        }

        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs, cancellationToken);
        return instance?.Name == nameof(TrainingPipelineOrchestrator) ? instance : null;
    }

    public async Task<IReadOnlyList<RunStatusResponse>> ListAsync(string? dataset, CancellationToken cancellationToken = default)
    {
        var runs = new List<RunStatusResponse>();
        var query = new OrchestrationQuery { InstanceIdPrefix = dataset is null ? null : dataset + "-", FetchInputsAndOutputs = true, PageSize = 100 };
        await foreach (var instance in client.GetAllInstancesAsync(query))
        {
            if (instance.Name == nameof(TrainingPipelineOrchestrator) && (dataset is null || RunPlanner.IsRunOf(instance.InstanceId, dataset)))
            {
                runs.Add(await ViewAsync(instance, cancellationToken));
            }
        }

        return [.. runs.OrderByDescending(r => r.CreatedAt)];
    }

    private async Task<RunStatusResponse> ViewAsync(OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        var status = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<PipelineStatus>();
        var progress = status?.Progress;
        bool running = instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending;
        if (running && status?.Stage is PipelineStages.Train or PipelineStages.Export)
        {
            var job = await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(instance.InstanceId), cancellationToken);
            progress = job?.Value.Progress ?? progress;
        }

        var output = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<PipelineRunOutput>() : null;
        // Failure details do not always survive the trip through the Azure Storage provider; the orchestration also puts
        // its error into the custom status before it fails.
        string? error = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Failed => instance.FailureDetails?.ErrorMessage ?? status?.Message ?? instance.SerializedOutput ?? "failed",
            OrchestrationRuntimeStatus.Terminated => instance.SerializedOutput is { } reason ? $"terminated: {reason.Trim('"')}" : "terminated",
            _ => null,
        };
        return new RunStatusResponse(instance.InstanceId, DatasetOf(instance.InstanceId), instance.RuntimeStatus.ToString(), status?.Stage, progress,
            instance.CreatedAt, instance.LastUpdatedAt,
            output is null ? null : new RunOutputView(output.Metrics, output.Promoted, output.Reason, output.Model, output.ChampionMetrics),
            error is null ? null : new RunErrorView(error));
    }

    /// <summary>Run ids are <c>&lt;dataset&gt;-&lt;12 hex&gt;</c>.</summary>
    public static string DatasetOf(string runId) => runId.Length > 13 && runId[^13] == '-' ? runId[..^13] : runId;
}
