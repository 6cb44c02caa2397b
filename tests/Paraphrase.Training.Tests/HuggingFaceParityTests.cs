using Paraphrase.Training.Data;
using Paraphrase.Training.Optimization;
using Paraphrase.Training.Runtime;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

/// <summary>The TorchSharp BERT against Hugging Face on the tiny-bert fixture: logits, gradients, a 16-step training run.</summary>
public sealed class HuggingFaceParityTests
{
    public HuggingFaceParityTests() => LibTorchRuntime.EnsureLoaded();

    [Fact]
    public void InitialEvaluationLogitsAndLossMatch()
    {
        using var model = TinyBert.LoadModel();
        model.eval();
        foreach (var expected in TinyBert.Reference.GetProperty("eval_initial").EnumerateArray())
        {
            using var scope = NewDisposeScope();
            using var batch = BatchTensors.From(TinyBert.Batch(expected.GetProperty("batch")), CPU);
            using var noGrad = no_grad();

            var logits = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
            var loss = nn.functional.cross_entropy(logits, batch.Labels!).item<float>();

            TinyBert.AssertClose(TinyBert.Matrix(expected.GetProperty("logits")), logits, 1e-5);
            Assert.Equal(expected.GetProperty("loss").GetDouble(), loss, 1e-5);
        }
    }

    [Fact]
    public void FirstStepGradientNormsMatch()
    {
        using var model = TinyBert.LoadModel();
        model.train();
        var reference = TinyBert.Reference.GetProperty("first_step");
        using var batch = BatchTensors.From(TinyBert.Batch(TinyBert.Reference.GetProperty("train").GetProperty("batches")[0]), CPU);

        using var loss = nn.functional.cross_entropy(model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask), batch.Labels!);
        loss.backward();

        Assert.Equal(reference.GetProperty("loss").GetDouble(), loss.item<float>(), 1e-5);
        var norms = reference.GetProperty("grad_norms");
        foreach (var (name, parameter) in model.named_parameters())
        {
            double expected = norms.GetProperty(name).GetDouble();
            double actual = parameter.grad!.norm().item<float>();
            Assert.True(Math.Abs(actual - expected) <= 1e-4 * Math.Abs(expected) + 1e-12,
                $"{name}: gradient norm {actual:E6} vs Hugging Face {expected:E6}");
        }
    }

    [Fact]
    public void SixteenStepTrainingTrajectoryMatches()
    {
        using var model = TinyBert.LoadModel();
        model.train();
        var train = TinyBert.Reference.GetProperty("train");
        var batches = train.GetProperty("batches").EnumerateArray().Select(TinyBert.Batch).ToList();
        var trajectory = train.GetProperty("trajectory");
        var schedule = new LinearSchedule(WarmupSteps: 2, TotalSteps: 16);
        using var optimizer = AdamWFactory.Create(model, 1e-3, 0.9, 0.999, 1e-8, 0.01, decayBiasAndNorm: true);

        for (int step = 0; step < 16; step++)
        {
            using var scope = NewDisposeScope();
            double learningRate = 1e-3 * schedule.Factor(step);
            AdamWFactory.SetLearningRate(optimizer, learningRate);
            var batch = BatchTensors.From(batches[step % batches.Count], CPU);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask), batch.Labels!);
            loss.backward();
            optimizer.step();

            Assert.Equal(trajectory[step].GetProperty("lr").GetDouble(), learningRate, 1e-12);
            Assert.True(Math.Abs(trajectory[step].GetProperty("loss").GetDouble() - loss.item<float>()) <= 1e-4,
                $"step {step}: loss {loss.item<float>():F7} vs Hugging Face {trajectory[step].GetProperty("loss").GetDouble():F7}");
        }

        model.eval();
        foreach (var (expected, initial) in TinyBert.Reference.GetProperty("eval_after_train").EnumerateArray()
                     .Zip(TinyBert.Reference.GetProperty("eval_initial").EnumerateArray()))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var batch = BatchTensors.From(TinyBert.Batch(initial.GetProperty("batch")), CPU);
            TinyBert.AssertClose(TinyBert.Matrix(expected.GetProperty("logits")), model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask), 1e-4);
        }
    }

    [Fact]
    public void Bf16MixedPrecisionFollowsTheFloat32Trajectory()
    {
        using var model = TinyBert.LoadModel();
        model.train();
        var train = TinyBert.Reference.GetProperty("train");
        var batches = train.GetProperty("batches").EnumerateArray().Select(TinyBert.Batch).ToList();
        var schedule = new LinearSchedule(WarmupSteps: 2, TotalSteps: 16);
        using var optimizer = AdamWFactory.Create(model, 1e-3, 0.9, 0.999, 1e-8, 0.01, decayBiasAndNorm: true);

        for (int step = 0; step < 16; step++)
        {
            using var scope = NewDisposeScope();
            using var precision = Modeling.Autocast.Enable(ScalarType.BFloat16, CPU);
            AdamWFactory.SetLearningRate(optimizer, 1e-3 * schedule.Factor(step));
            var batch = BatchTensors.From(batches[step % batches.Count], CPU);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask), batch.Labels!);
            loss.backward();
            optimizer.step();

            // bfloat16 keeps 8 bits of mantissa: the trajectory stays close to float32's, not equal.
            Assert.Equal(ScalarType.Float32, model.parameters().First().dtype);
            double expected = train.GetProperty("trajectory")[step].GetProperty("loss").GetDouble();
            Assert.True(Math.Abs(expected - loss.item<float>()) <= 0.02, $"step {step}: bf16 loss {loss.item<float>():F4} vs float32 {expected:F4}");
        }
    }
}
