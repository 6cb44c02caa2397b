using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline.Jobs;

namespace Paraphrase.Worker;

/// <summary>
/// The worker's loop: receive a job, process it, repeat — forever, or until <see cref="TrainerWorkerOptions.MaxJobs"/> jobs
/// are done or it has been idle for <see cref="TrainerWorkerOptions.IdleExit"/> (one job per Container Apps job execution).
/// </summary>
public sealed partial class TrainerWorker(IJobReceiver receiver, TrainerJobProcessor processor, TrainerWorkerOptions options, TimeProvider clock,
    IHostApplicationLifetime? lifetime, ILogger<TrainerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int jobs = 0;
        var idleSince = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            ReceivedJob? message;
            try
            {
                message = await receiver.ReceiveAsync(options.MessageLock, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ReceiveFailed(logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
                continue;
            }

            if (message is null)
            {
                if (options.IdleExit is { } idle && clock.GetUtcNow() - idleSince > idle)
                {
                    IdleExit(logger, idle);
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
                continue;
            }

            try
            {
                await processor.ProcessAsync(message, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ProcessFailed(logger, message.Job.RunId, e.Message);
            }

            idleSince = clock.GetUtcNow();
            if (++jobs >= options.MaxJobs)
            {
                JobsDone(logger, jobs);
                break;
            }
        }

        lifetime?.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiving from the job queue failed, retrying: {Reason}")]
    private static partial void ReceiveFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{RunId}: processing the job failed: {Reason}")]
    private static partial void ProcessFailed(ILogger logger, string runId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trainer worker stopping: idle for {Idle}")]
    private static partial void IdleExit(ILogger logger, TimeSpan idle);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trainer worker stopping: {Jobs} job(s) done")]
    private static partial void JobsDone(ILogger logger, int jobs);
}
