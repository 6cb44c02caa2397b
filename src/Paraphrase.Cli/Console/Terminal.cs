using Spectre.Console;

namespace Paraphrase.Cli.Console;

/// <summary>
/// Where the CLI writes: results (tables, predictions) to standard output, progress and messages to
/// standard error, so output can be piped without noise.
/// </summary>
internal static class Terminal
{
    public static IAnsiConsole Out { get; } = AnsiConsole.Console;

    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(System.Console.Error),
    });

    /// <summary>Runs <paramref name="work"/> under a progress bar of <paramref name="total"/> steps.</summary>
    public static T WithProgress<T>(string description, int total, Func<Action<int>, T> work)
    {
        if (!Error.Profile.Capabilities.Interactive)
        {
            return work(_ => { });
        }

        return Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: total);
                return work(done => task.Value = done);
            });
    }
}
