using Paraphrase.Training.Runtime;

namespace Paraphrase.Onnx.Tests;

/// <summary>
/// A cancelled export writes nothing, wherever it is stopped. Each test cancels when the exporter reports a stage
/// (through its log), so where the export stops never depends on how fast it runs.
/// </summary>
public sealed class ExportCancellationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-export-cancel-").FullName;

    public ExportCancellationTests() => LibTorchRuntime.EnsureLoaded();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(null)]
    [InlineData("Calibrating int8 weights")]
    [InlineData("Exporting portable")]
    [InlineData("  model.portable.onnx")]
    public void ACancelledExportLeavesNoOutput(string? cancelAt)
    {
        using var cancel = new CancellationTokenSource();
        if (cancelAt is null)
        {
            cancel.Cancel();
        }

        string output = Path.Combine(_directory, "model");
        void Log(string line)
        {
            if (cancelAt is not null && line.StartsWith(cancelAt, StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        }

        Assert.ThrowsAny<OperationCanceledException>(() => OnnxExporter.Export(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-bert"), output,
            [OnnxVariant.Portable, OnnxVariant.Int8], log: Log, cancellationToken: cancel.Token));

        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }
}
