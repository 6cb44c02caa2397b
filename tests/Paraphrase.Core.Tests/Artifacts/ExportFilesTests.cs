using Paraphrase.Core.Artifacts;

namespace Paraphrase.Core.Tests.Artifacts;

public sealed class ExportFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-export-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NamesFollowTheVariant()
    {
        Assert.Equal("model.int8.onnx", ExportFiles.ModelFile("Int8"));
        Assert.Equal("model.fused.json", ExportFiles.ManifestFile(ExportFiles.Fused));
        Assert.Equal(Path.Combine("out", "model.portable.json"), ExportFiles.ManifestBeside(Path.Combine("out", "model.portable.onnx")));
        Assert.Equal("fused", ExportFiles.VariantOf("/models/a/model.fused.onnx"));
        Assert.Null(ExportFiles.VariantOf("/models/a/model.onnx"));
        Assert.Null(ExportFiles.VariantOf("model.fp16.onnx"));
    }

    [Fact]
    public void AServerPrefersFusedThenPortableThenInt8()
    {
        Assert.Null(ExportFiles.FindModel(_directory));
        File.WriteAllText(Path.Combine(_directory, "model.int8.onnx"), "");
        Assert.Equal("model.int8.onnx", Path.GetFileName(ExportFiles.FindModel(_directory)));
        File.WriteAllText(Path.Combine(_directory, "model.portable.onnx"), "");
        Assert.Equal("model.portable.onnx", Path.GetFileName(ExportFiles.FindModel(_directory)));
        File.WriteAllText(Path.Combine(_directory, "model.fused.onnx"), "");
        Assert.Equal("model.fused.onnx", Path.GetFileName(ExportFiles.FindModel(_directory)));
        Assert.Equal("model.int8.onnx", Path.GetFileName(ExportFiles.FindModel(_directory, "int8")));
    }
}
