using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Paraphrase.Cli.Tests;

/// <summary>Runs the real <c>paraphrase</c> program (built beside the tests) in a child process.</summary>
internal static partial class CliRunner
{
    private const int SigInt = 2;

    /// <summary>
    /// A shell starts background jobs with SIGINT ignored, and children inherit that (the .NET runtime then never sees
    /// Ctrl-C): when the tests run that way, restore the default so the programs they start can be interrupted as from a
    /// terminal.
    /// </summary>
    static CliRunner()
    {
        string? mask = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))?[7..].Trim();
        if (mask is not null && (ulong.Parse(mask, NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (SigInt - 1))) != 0)
        {
            _ = Signal(SigInt, 0);
        }
    }

    /// <summary>A safety net, not a measure of speed: a run still going after this is killed (with its children) and the test fails.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

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
        using var deadline = new CancellationTokenSource(Deadline);
        // Killing on the deadline also ends whatever whileRunning waits for (it sees the process exit).
        using var onDeadline = deadline.Token.Register(() => KillTree(process));
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
        try
        {
            if (whileRunning is not null)
            {
                await whileRunning(process, () => { lock (errorText) { return errorText.ToString(); } });
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }
        finally
        {
            // A failed assertion or an exception in whileRunning must not leave the program (or its children) running.
            KillTree(process);
        }

        var result = new Result(process.ExitCode, await output, await error);
        return deadline.IsCancellationRequested
            ? throw new TimeoutException($"paraphrase {string.Join(' ', arguments)} ran past {Deadline} and was killed.\n{result.StandardError}")
            : result;
    }

    /// <summary>Waits until the program's standard error shows <paramref name="text"/>; false if it exits first.</summary>
    public static async Task<bool> WaitForErrorAsync(Process process, Func<string> standardError, string text)
    {
        while (!standardError().Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited)
            {
                return standardError().Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Sends a signal (INT, TERM) to the program, as Ctrl-C or <c>docker stop</c> would.</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Exited in the meantime.
        }
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
