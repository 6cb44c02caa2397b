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

    /// <summary>A status line on standard error, never wrapped (Spectre wraps at 80 columns when redirected).</summary>
    public static void Info(string message) => System.Console.Error.WriteLine(message);

    /// <summary>The one-line failure message, red when standard error is a terminal.</summary>
    public static void Fail(string message) =>
        System.Console.Error.WriteLine(System.Console.IsErrorRedirected ? $"error: {message}" : $"\u001b[31merror:\u001b[0m {message}");

    /// <summary>Machine-readable output (JSON) on standard output, untouched by any console formatting.</summary>
    public static void Raw(string text) => System.Console.Out.WriteLine(text);

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
