using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Paraphrase.Cli.Tests.Pipeline;

/// <summary>
/// <c>paraphrase host</c> or <c>paraphrase worker</c> as a real child process against the tests' own Azurite, with fast
/// timings (1 s heartbeats, a 10 s heartbeat limit). It can be killed with SIGKILL (a crash) or stopped with SIGTERM;
/// disposing it always kills what is left, so a failed test leaves no process.
/// </summary>
public sealed partial class PipelineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private PipelineProcess(Process process, string? url)
    {
        _process = process;
        Url = url ?? "";
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>The host's HTTP address (empty for a worker).</summary>
    public string Url { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The process's resident memory now.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the host without API keys (<c>--no-auth</c>) and waits until it answers /api/health.</summary>
    public static Task<PipelineProcess> StartHostAsync(string storage, string data, params string[] extra) => StartHostCoreAsync(storage, data, ["--no-auth"], extra);

    /// <summary>Starts the host accepting only <paramref name="apiKey"/> and waits until it answers /api/health.</summary>
    public static Task<PipelineProcess> StartHostWithApiKeyAsync(string storage, string data, string apiKey, params string[] extra) =>
        StartHostCoreAsync(storage, data, ["--api-key", apiKey], extra);

    private static async Task<PipelineProcess> StartHostCoreAsync(string storage, string data, string[] auth, string[] extra)
    {
        int port = FreePort();
        var host = Start(data, ["host", "--storage", storage, "--data", data, "--port", $"{port}", .. auth, "--device", "cpu", "--settle", "1s",
            "--heartbeat-timeout", "10s", "--resume-after", "5s", "--heartbeat-interval", "1s", "--base-model", CliRunner.FixturePath("tiny-bert"), .. extra],
            $"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await host.WaitUntilAsync("answer /api/health", async () =>
        {
            try
            {
                return (await http.GetAsync(host.Url + "/api/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
        return host;
    }

    /// <summary>Starts a trainer worker and waits until it listens for jobs.</summary>
    public static async Task<PipelineProcess> StartWorkerAsync(string storage, string data, params string[] extra)
    {
        var worker = Start(data, ["worker", "--storage", storage, "--data", data, "--device", "cpu", "--heartbeat-interval", "1s", .. extra], null);
        await worker.WaitUntilAsync("wait for jobs", () => Task.FromResult(worker.Log.Contains("waiting for jobs", StringComparison.Ordinal)));
        return worker;
    }

    private static PipelineProcess Start(string data, string[] arguments, string? url)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "paraphrase.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PARAPHRASE_CACHE"] = Path.Combine(data, "model-cache");
        return new PipelineProcess(Process.Start(start)!, url);
    }

    private async Task WaitUntilAsync(string what, Func<Task<bool>> ready)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await ready())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"paraphrase exited with {_process.ExitCode} before it would {what}:\n{Log}");
            }

            if (DateTime.UtcNow > deadline)
            {
                await DisposeAsync();
                throw new TimeoutException($"paraphrase did not {what} within 2 minutes:\n{Log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Waits for the process to exit by itself (e.g. a worker with --max-jobs) and returns its exit code.</summary>
    public async Task<int> ExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>A crash: SIGKILL, no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a container platform stops it; returns the exit code.</summary>
    public Task<int> TerminateAsync()
    {
        _ = Kill(_process.Id, 15);
        return ExitAsync(TimeSpan.FromMinutes(1));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
