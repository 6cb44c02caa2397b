using System.Globalization;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Orchestration;
using Spectre.Console;

namespace Paraphrase.Cli.Console;

/// <summary>How runs look in the terminal: a table of runs, one run's details, and a watch that follows it stage by stage.</summary>
internal static class RunDisplay
{
    public static Table List(IReadOnlyList<RunStatusResponse> runs)
    {
        // Run ids are what people copy into the next command: never wrapped, whatever the terminal's width.
        var table = new Table().AddColumn(new TableColumn("run").NoWrap()).AddColumn("status").AddColumn("stage").AddColumn(new TableColumn("accuracy").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn("promoted").AddColumn("created (UTC)");
        foreach (var run in runs)
        {
            table.AddRow(run.Id, run.RuntimeStatus, run.Stage ?? "", Number(run.Output?.Metrics.Accuracy), Number(run.Output?.Metrics.F1),
                run.Output is null ? "" : run.Output.Promoted ? "yes" : "no", run.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        return table;
    }

    /// <summary>One line a change: stage, progress, outcome.</summary>
    public static string Line(RunStatusResponse run)
    {
        string progress = run.Progress is { } p
            ? string.Create(CultureInfo.InvariantCulture, $" epoch {p.Epoch}/{p.Epochs}, step {p.Step}/{p.TotalSteps}{(p.Loss is double loss ? $", loss {loss:F4}" : "")}{(p.Message is { } m ? $" ({m})" : "")}")
            : "";
        return $"{run.Id}: {run.RuntimeStatus.ToLowerInvariant()}, {run.Stage ?? "starting"}{progress}";
    }

    public static void Outcome(RunStatusResponse run)
    {
        if (run.Output is { } output)
        {
            string champion = output.ChampionMetrics is { } c ? string.Create(CultureInfo.InvariantCulture, $" (champion: {c.Accuracy:F4} / {c.F1:F4})") : "";
            Terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Dev accuracy {output.Metrics.Accuracy:F4}, F1 {output.Metrics.F1:F4}{champion}. {output.Reason}."));
            Terminal.Out.WriteLine($"Model: {output.Model}; report: runs/{run.Id}/report.md in the artifact store.");
        }
        else if (run.Error is { } error)
        {
            Terminal.Fail($"run {run.Id} {run.RuntimeStatus.ToLowerInvariant()}: {error.Message}");
        }
    }

    /// <summary>Follows a run until it ends: a progress bar per stage on a terminal, a line per change otherwise.</summary>
    public static async Task<RunStatusResponse> WatchAsync(PipelineApiClient client, string id, CancellationToken cancellationToken)
    {
        if (!Terminal.Error.Profile.Capabilities.Interactive)
        {
            string? last = null;
            return await client.WaitAsync(id, run =>
            {
                string line = Line(run);
                if (line != last)
                {
                    Terminal.Info(line);
                    last = line;
                }
            }, cancellationToken: cancellationToken);
        }

        RunStatusResponse final = null!;
        await Terminal.Error.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = PipelineStages.Ordered.ToDictionary(stage => stage, stage => context.AddTask(stage, autoStart: false, maxValue: 1));
                final = await client.WaitAsync(id, run =>
                {
                    int current = Array.IndexOf(PipelineStages.Ordered, run.Stage);
                    bool done = run.RuntimeStatus == "Completed";
                    for (int i = 0; i < PipelineStages.Ordered.Length; i++)
                    {
                        var task = tasks[PipelineStages.Ordered[i]];
                        if (i < current || done)
                        {
                            task.StartTask();
                            task.Value = 1;
                        }
                        else if (i == current)
                        {
                            task.StartTask();
                            task.Value = run.Progress is { TotalSteps: > 0 } p ? Math.Min(0.99, (double)p.Step / p.TotalSteps) : 0;
                            task.Description = run.Progress?.Loss is double loss ? $"{run.Stage} (loss {loss:F3})" : run.Stage!;
                        }
                    }
                }, cancellationToken: cancellationToken);
            });
        return final;
    }

    private static string Number(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "";
}
