using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Import;
using Paraphrase.Training.Modeling;
using Paraphrase.Training.Runtime;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

public sealed class OnnxImportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-import-").FullName;

    public OnnxImportTests() => LibTorchRuntime.EnsureLoaded();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TorchExportOfTinyBertImportsToTheSameWeightsAndLogits()
    {
        string output = Path.Combine(_directory, "imported");

        var summary = OnnxModelImport.ToDirectory(Path.Combine(TinyBert.Directory, "model.torch.onnx"), Path.Combine(TinyBert.Directory, "vocab.txt"), output);

        Assert.Equal((2, 32, 2), (summary.Layers, summary.HiddenSize, summary.Heads));
        Assert.True(summary.MaxDifference <= 1e-4, $"max difference {summary.MaxDifference:E2}");
        Assert.Empty(summary.FreshWeights);
        var loaded = HuggingFaceDirectory.Load(output, headMayBeMissing: false);
        using var original = TinyBert.LoadModel();
        var expected = original.state_dict();
        foreach (var (name, tensor) in loaded.Model.state_dict())
        {
            Assert.True(tensor.allclose(expected[name], rtol: 0, atol: 1e-7), name);
        }

        loaded.Model.Dispose();
    }

    [Fact]
    public void NonBertOnnxAndGarbageAreClearErrors()
    {
        string garbage = Path.Combine(_directory, "garbage.onnx");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        string adder = Path.Combine(_directory, "adder.onnx");
        var graph = new Onnx.GraphProto { Name = "adder" };
        graph.Node.Add(new Onnx.NodeProto { OpType = "Add", Input = { "x", "bias" }, Output = { "y" } });
        graph.Initializer.Add(new Onnx.TensorProto { Name = "bias", DataType = (int)Onnx.TensorProto.Types.DataType.Float, Dims = { 1 }, FloatData = { 1f } });
        var model = new Onnx.ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new Onnx.OperatorSetIdProto { Version = 17 });
        using (var file = File.Create(adder))
        {
            Google.Protobuf.MessageExtensions.WriteTo(model, file);
        }

        var notOnnx = Assert.Throws<ModelFormatException>(() => OnnxBertImporter.Import(garbage));
        var notBert = Assert.Throws<ModelFormatException>(() => OnnxBertImporter.Import(adder, numAttentionHeads: 1));
        var missing = Assert.Throws<ModelFormatException>(() => OnnxModelImport.ToDirectory(Path.Combine(_directory, "absent.onnx"), "vocab.txt", _directory));

        Assert.Contains("not a readable ONNX model", notOnnx.Message, StringComparison.Ordinal);
        Assert.Contains("not a BERT encoder export: no 'bert.embeddings.word_embeddings.weight'", notBert.Message, StringComparison.Ordinal);
        Assert.Contains("no such file", missing.Message, StringComparison.Ordinal);
    }
}
