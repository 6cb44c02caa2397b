using Microsoft.DurableTask;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Contracts;

namespace Paraphrase.Pipeline.Orchestration;

/// <summary>
/// The orchestration's bookkeeping: the custom status, and the run record (saved to run.json after every stage),
/// with stage times taken from the orchestration's clock so that replays rebuild the same record.
/// </summary>
internal sealed class RunProgress(TaskOrchestrationContext context, PipelineRunInput input)
{
    public RunRecord Record { get; set; } = new()
    {
        RunId = input.RunId, Dataset = input.Dataset, Trigger = input.Trigger, Status = RunRecord.Running, CreatedAt = context.CurrentUtcDateTime,
        Files = input.Files, BaseModel = input.BaseModel, Training = input.Training, Promotion = input.Promotion,
    };

    /// <summary>Runs one stage, recording it; <paramref name="cacheHit"/> tells from the result whether cached work was reused.</summary>
    public async Task<T> Stage<T>(string name, Func<Task<T>> work, Func<T, bool>? cacheHit = null)
    {
        var started = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        context.SetCustomStatus(new PipelineStatus(name));
        Record = Record with { Stages = [.. Record.Stages, new StageRecord(name, started, null)] };
        var result = await work();
        Finish(name, started, attempts: Attempts, cacheHit?.Invoke(result));
        Attempts = 1;
        await SaveAsync();
        return result;
    }

    /// <summary>How many attempts the current stage took (a job's dispatches).</summary>
    public int Attempts { get; set; } = 1;

    public Task SaveAsync() =>
        context.CallActivityAsync(nameof(RecordRunActivity), new RecordRunInput(Record with { UpdatedAt = context.CurrentUtcDateTime }),
            TrainingPipelineOrchestrator.Retry);

    private void Finish(string name, DateTimeOffset started, int attempts, bool? cacheHit)
    {
        var stages = Record.Stages.ToList();
        int index = stages.FindLastIndex(s => s.Name == name && s.StartedAt == started);
        stages[index] = stages[index] with { FinishedAt = context.CurrentUtcDateTime, Attempts = attempts, CacheHit = cacheHit };
        Record = Record with { Stages = stages };
    }
}
