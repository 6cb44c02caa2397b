using System.Diagnostics;

namespace Paraphrase.Cli.Tests;

/// <summary>Runs the real <c>paraphrase</c> program (built beside the tests) in a child process.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static string FixturePath(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static Task<Result> RunAsync(params string[] arguments) => RunAsync(arguments, whileRunning: null);

    /// <param name="whileRunning">Called with the process and its standard error as it arrives (to interrupt it, say).</param>
    public static async Task<Result> RunAsync(string[] arguments, Func<Process, Func<string>, Task>? whileRunning)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "paraphrase.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Wide enough that messages are not wrapped across lines.
        start.Environment["COLUMNS"] = "400";
        // Downloads and imports go to a cache of the tests' own, never the user's.
        start.Environment["PARAPHRASE_CACHE"] = Path.Combine(Path.GetTempPath(), "paraphrase-cli-tests-cache");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errorText = new System.Text.StringBuilder();
        var error = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (errorText)
                {
                    errorText.AppendLine(line);
                }
            }

            lock (errorText)
            {
                return errorText.ToString();
            }
        });
        if (whileRunning is not null)
        {
            await whileRunning(process, () => { lock (errorText) { return errorText.ToString(); } });
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
