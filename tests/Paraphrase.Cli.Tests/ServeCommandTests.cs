using System.Net;
using System.Net.Sockets;

namespace Paraphrase.Cli.Tests;

/// <summary>serve through the real program: how it stops.</summary>
public sealed class ServeCommandTests
{
    /// <summary>docker stop and Kubernetes send SIGTERM: the server drains and exits 0, as on Ctrl-C.</summary>
    [Fact]
    public async Task SigtermStopsTheServerCleanly()
    {
        bool serving = false;

        var result = await CliRunner.RunAsync(["serve", "--model", CliRunner.FixturePath("tiny-bert", "model.torch.onnx"), "--no-auth",
            "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--provider", "cpu"], async (process, stderr) =>
        {
            serving = await CliRunner.WaitForErrorAsync(process, stderr, "Serving ");
            await CliRunner.SignalAsync(process, "TERM");
        });

        Assert.True(serving, result.StandardError);
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}: {result.StandardError}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
