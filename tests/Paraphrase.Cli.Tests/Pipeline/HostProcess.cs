using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Paraphrase.Cli.Tests.Pipeline;

/// <summary>
/// <c>paraphrase host</c> as a real child process on a free port, against the tests' own Azurite. It can be killed with
/// SIGKILL (a crash) or stopped with SIGTERM; disposing it always kills what is left, so a failed test leaves no process.
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private HostProcess(Process process, int port)
    {
        _process = process;
        Url = $"http://127.0.0.1:{port}";
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public string Url { get; }

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

    /// <summary>Starts the host and waits until it answers /api/health.</summary>
    public static async Task<HostProcess> StartAsync(string storage, string data, params string[] extra)
    {
        int port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "paraphrase.dll"), "host", "--storage", storage, "--data", data, "--port", $"{port}",
            "--no-auth", "--device", "cpu", "--settle", "1s", "--heartbeat-timeout", "10s", "--resume-after", "5s", "--heartbeat-interval", "1s",
            "--base-model", CliRunner.FixturePath("tiny-bert"), .. extra])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PARAPHRASE_CACHE"] = Path.Combine(data, "model-cache");
        var host = new HostProcess(Process.Start(start)!, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            if (host._process.HasExited)
            {
                throw new InvalidOperationException($"paraphrase host exited with {host._process.ExitCode}:\n{host.Log}");
            }

            try
            {
                if ((await http.GetAsync(host.Url + "/api/health")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                await host.DisposeAsync();
                throw new TimeoutException($"paraphrase host did not answer within 2 minutes:\n{host.Log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A crash: SIGKILL, no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a container platform stops it; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        _ = Kill(_process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
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
