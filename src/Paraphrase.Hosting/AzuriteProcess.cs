using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Paraphrase.Hosting;

/// <summary>
/// Azurite, the Azure Storage emulator, started from the repository's own package.json (<c>npm ci</c> installs it) when
/// nothing listens on its ports yet, with its data in a folder of ours; stopped with SIGTERM, never killed, because it
/// persists to disk only every few seconds.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    public const int BlobPort = 10000, QueuePort = 10001, TablePort = 10002;

    // Azurite's well-known development account (public, documented with the emulator).
    private const string Account = "devstoreaccount1",
        Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process? _process;

    private AzuriteProcess(Process? process, int blobPort)
    {
        _process = process;
        ConnectionString = blobPort == BlobPort
            ? Pipeline.Storage.StorageAccount.DevelopmentStorage
            : $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint=http://127.0.0.1:{blobPort}/{Account};" +
              $"QueueEndpoint=http://127.0.0.1:{blobPort + 1}/{Account};TableEndpoint=http://127.0.0.1:{blobPort + 2}/{Account};";
    }

    /// <summary>How to reach this Azurite.</summary>
    public string ConnectionString { get; }

    /// <summary>Whether this instance started Azurite (and so stops it).</summary>
    public bool Owned => _process is not null;

    public static async Task<AzuriteProcess> EnsureRunningAsync(string dataDirectory, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        if (await ListeningAsync(BlobPort) && await ListeningAsync(QueuePort) && await ListeningAsync(TablePort))
        {
            log?.Invoke("Using the Azurite already listening on 127.0.0.1:10000-10002.");
            return new AzuriteProcess(null, BlobPort);
        }

        return await StartAsync(dataDirectory, BlobPort, log, cancellationToken);
    }

    /// <summary>
    /// Starts an Azurite of our own on <paramref name="blobPort"/> (queues and tables on the next two ports), e.g. one per
    /// test run so that runs never share storage.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(string dataDirectory, int blobPort, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        string executable = FindExecutable() ?? throw new InvalidOperationException(
            "Azurite is not installed: run 'npm ci' in the repository root (it comes from package.json), or start Azurite yourself on ports 10000-10002, or pass --storage <connection string>.");
        string location = Path.Combine(dataDirectory, "azurite");
        Directory.CreateDirectory(location);
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--location", location, "--silent", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", $"{blobPort}", "--queuePort", $"{blobPort + 1}", "--tablePort", $"{blobPort + 2}",
                // The Azure SDK speaks a newer service version than Azurite 3.37 knows; the operations the pipeline uses are all in Azurite.
                "--skipApiVersionCheck",
                // Its telemetry upload blocks its exit for minutes where the internet is out of reach.
                "--disableTelemetry" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await ListeningAsync(blobPort) && await ListeningAsync(blobPort + 1) && await ListeningAsync(blobPort + 2)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not start (exit code {(process.HasExited ? process.ExitCode : "none")}); is something else using ports {blobPort}-{blobPort + 2}?");
            }

            await Task.Delay(200, cancellationToken);
        }

        log?.Invoke($"Started Azurite on 127.0.0.1:{blobPort}-{blobPort + 2} (data in {location}).");
        return new AzuriteProcess(process, blobPort);
    }

    /// <summary>The process id of the Azurite this instance started.</summary>
    public int? ProcessId => _process?.Id;

    public async ValueTask DisposeAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>node_modules/.bin/azurite in the current directory, the program's directory, or any folder above them.</summary>
    private static string? FindExecutable()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, "node_modules", ".bin", "azurite");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
