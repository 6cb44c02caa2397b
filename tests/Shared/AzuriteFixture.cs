using System.Net;
using System.Net.Sockets;
using Paraphrase.Hosting;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Testing;

/// <summary>
/// A real Azurite of this test run's own (shared by the test projects that need storage), on free ports, with its data in a temporary folder: tests never share storage
/// with another run or a developer's host.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "paraphrase-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private AzuriteProcess? _azurite;

    public string ConnectionString => _azurite!.ConnectionString;

    public StorageAccount Account => StorageAccount.Connect(ConnectionString);

    /// <summary>The Azurite process, e.g. to stop it with SIGTERM and start it again mid-run.</summary>
    public AzuriteProcess Process => _azurite!;

    public int BlobPort { get; private set; }

    public string DataDirectory => _directory;

    /// <summary>Stops Azurite the way it must be stopped (SIGTERM: it saves its data) and starts it again on the same ports and data.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await _azurite!.DisposeAsync();
        await Task.Delay(downFor);
        _azurite = await AzuriteProcess.StartAsync(_directory, BlobPort);
    }

    public async Task InitializeAsync()
    {
        for (int tries = 0; ; tries++)
        {
            int port = FreePortTriple();
            try
            {
                _azurite = await AzuriteProcess.StartAsync(_directory, port);
                BlobPort = port;
                return;
            }
            catch (InvalidOperationException) when (tries < 3)
            {
                // Someone took a port between the check and the start: try others.
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A new store with fresh containers: each test gets its own account-wide view, so tests use distinct dataset and run names.</summary>
    public async Task<ArtifactStore> StoreAsync()
    {
        var store = new ArtifactStore(Account);
        await store.EnsureContainersAsync();
        return store;
    }

    private static int FreePortTriple()
    {
        while (true)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (port < 65000 && Free(port + 1) && Free(port + 2))
            {
                return port;
            }
        }
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

