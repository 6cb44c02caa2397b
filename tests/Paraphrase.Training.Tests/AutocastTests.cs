using Paraphrase.Training.Data;
using Paraphrase.Training.Modeling;
using Paraphrase.Training.Runtime;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

/// <summary>LibTorch's own autocast, switched from C#: what runs in bf16, what stays float32, and that scopes undo themselves.</summary>
public sealed class AutocastTests
{
    public AutocastTests() => LibTorchRuntime.EnsureLoaded();

    [Fact]
    public void LinearRunsInBf16InsideAScopeAndItsWeightGradientIsFloat32()
    {
        using var scope = NewDisposeScope();
        var weight = randn(4, 3).requires_grad_(true);
        var input = randn(2, 3);
        Tensor output;
        using (Autocast.Enable(ScalarType.BFloat16, CPU))
        {
            output = nn.functional.linear(input, weight);
            Assert.Equal(ScalarType.BFloat16, Autocast.TypeOn(CPU));
        }

        output.sum().backward();

        Assert.Equal(ScalarType.BFloat16, output.dtype);
        Assert.Equal(ScalarType.Float32, weight.grad!.dtype);
        Assert.Equal(ScalarType.Float32, nn.functional.linear(input, weight).dtype);
        Assert.Null(Autocast.TypeOn(CPU));
    }

    [Fact]
    public void AnInnerScopeLeavesTheOuterOneInForceAndNoTypeChangesNothing()
    {
        using var scope = NewDisposeScope();
        var weight = randn(4, 3);
        var input = randn(2, 3);
        using (Autocast.Enable(ScalarType.BFloat16, CPU))
        {
            using (Autocast.Enable(ScalarType.BFloat16, CPU))
            {
            }

            Assert.Equal(ScalarType.BFloat16, nn.functional.linear(input, weight).dtype);
            using (Autocast.Enable(null, CPU))
            {
                Assert.Equal(ScalarType.BFloat16, nn.functional.linear(input, weight).dtype);
            }
        }

        Assert.Equal(ScalarType.Float32, nn.functional.linear(input, weight).dtype);
    }

    [Fact]
    public void TheModelGivesFloat32LogitsAndFloat32GradientsForEveryParameter()
    {
        using var model = TinyBert.LoadModel();
        model.train();
        using var scope = NewDisposeScope();
        var batch = BatchTensors.From(TinyBert.Batch(TinyBert.Reference.GetProperty("eval_initial")[0].GetProperty("batch")), CPU);
        Tensor logits;
        using (Autocast.Enable(ScalarType.BFloat16, CPU))
        {
            logits = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        }

        nn.functional.cross_entropy(logits, batch.Labels!).backward();

        Assert.Equal(ScalarType.Float32, logits.dtype);
        Assert.All(model.named_parameters(), p =>
        {
            Assert.Equal(ScalarType.Float32, p.parameter.dtype);
            Assert.True(p.parameter.grad is { dtype: ScalarType.Float32 }, $"{p.name}: no float32 gradient");
        });
    }
}
