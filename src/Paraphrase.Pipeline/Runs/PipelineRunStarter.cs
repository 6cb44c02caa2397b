using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Orchestration;

namespace Paraphrase.Pipeline.Runs;

/// <summary>
/// Starts runs, once per run id: the run id is the orchestration instance id, so a duplicate trigger (Event Grid and
/// queues deliver at least once; a watcher restarts) finds the existing instance and does no work. A failed or
/// terminated run starts again only when a person asks for it (<paramref name="retryFailed"/>).
/// </summary>
public sealed class PipelineRunStarter(DurableTaskClient client, RunPlanner planner)
{
    public async Task<StartedRun> StartAsync(RunRequest request, bool retryFailed = false, CancellationToken cancellationToken = default)
    {
        var input = await planner.PlanAsync(request, cancellationToken);
        var existing = await client.GetInstanceAsync(input.RunId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not null && !(retryFailed && existing.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
        {
            return new StartedRun(input.RunId, input.Dataset, Created: false, existing.RuntimeStatus);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingPipelineOrchestrator), input,
                new StartOrchestrationOptions { InstanceId = input.RunId }, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Another trigger may have started the same run a moment ago; if not, this is a real failure.
            var raced = await client.GetInstanceAsync(input.RunId, getInputsAndOutputs: false, cancellationToken);
            if (raced is null)
            {
                throw;
            }

            return new StartedRun(input.RunId, input.Dataset, Created: false, raced.RuntimeStatus);
        }

        return new StartedRun(input.RunId, input.Dataset, Created: true, OrchestrationRuntimeStatus.Pending);
    }
}

/// <summary>The run a request maps to, and whether this request created it.</summary>
public sealed record StartedRun(string RunId, string Dataset, bool Created, OrchestrationRuntimeStatus Status);
