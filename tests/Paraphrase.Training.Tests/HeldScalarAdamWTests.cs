using Paraphrase.Training.Data;
using Paraphrase.Training.Optimization;
using Paraphrase.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

/// <summary>The project's AdamW is TorchSharp's, bit for bit, and survives garbage collections during its native calls.</summary>
public sealed class HeldScalarAdamWTests
{
    /// <summary>Enough 1024 × 1024 steps for TorchSharp's own AdamW to fail here every time.</summary>
    private const int Steps = 200;

    [Fact]
    public void StepsExactlyAsTorchSharpsAdamWWithTwoGroupsAndALearningRateSchedule()
    {
        LibTorchRuntime.EnsureLoaded();
        using var ours = new Parameters(seed: 3);
        using var theirs = new Parameters(seed: 3);
        using var held = new HeldScalarAdamW(ours.Groups(5e-3), 5e-3, 0.9, 0.999, 1e-8, 0.01);
        using var reference = optim.AdamW(theirs.Groups(5e-3), 5e-3, 0.9, 0.999, 1e-8, 0.01);
        for (int step = 0; step < 6; step++)
        {
            double rate = 5e-3 * (1 - step / 6.0);
            AdamWFactory.SetLearningRate(held, rate);
            AdamWFactory.SetLearningRate(reference, rate);
            ours.Backward(step);
            theirs.Backward(step);
            held.step();
            reference.step();
            held.zero_grad();
            reference.zero_grad();
        }

        Assert.True(ours.Weight.eq(theirs.Weight).all().item<bool>(), "weights differ from TorchSharp's AdamW");
        Assert.True(ours.Bias.eq(theirs.Bias).all().item<bool>(), "biases differ from TorchSharp's AdamW");
        using var initial = new Parameters(seed: 3);
        Assert.False(ours.Weight.eq(initial.Weight).all().item<bool>(), "the weights did not move");
    }

    [Fact]
    public void StepsCorrectlyWhileAnotherThreadForcesGarbageCollections()
    {
        LibTorchRuntime.EnsureLoaded();
        using var ours = new Parameters(seed: 5, size: 1024);
        using var theirs = new Parameters(seed: 5, size: 1024);
        using var held = new HeldScalarAdamW(ours.Groups(1e-3), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        using var reference = optim.AdamW(theirs.Groups(1e-3), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        for (int step = 0; step < Steps; step++)
        {
            theirs.Backward(step);
            reference.step();
            reference.zero_grad();
        }

        WhileCollecting(() =>
        {
            for (int step = 0; step < Steps; step++)
            {
                ours.Backward(step);
                held.step();
                held.zero_grad();
            }
        });

        Assert.True(ours.Weight.eq(theirs.Weight).all().item<bool>());
    }

    /// <summary>Forward, backward and step pass LibTorch no temporary Scalars (with <c>a + b</c> in the model and TorchSharp's AdamW this fails within seconds).</summary>
    [Fact]
    public void TrainingStepsOfTheModelSurviveGarbageCollectionsDuringNativeCalls()
    {
        LibTorchRuntime.EnsureLoaded();
        using var model = TinyBert.LoadModel();
        model.train();
        using var optimizer = AdamWFactory.Create(model, 1e-3, 0.9, 0.999, 1e-8, 0.01, decayBiasAndNorm: true);
        var batch = TinyBert.Batch(TinyBert.Reference.GetProperty("eval_initial")[0].GetProperty("batch"));
        WhileCollecting(() =>
        {
            for (int step = 0; step < 100; step++)
            {
                using var scope = NewDisposeScope();
                using var tensors = BatchTensors.From(batch, CPU);
                nn.functional.cross_entropy(model.call(tensors.InputIds, tensors.TokenTypeIds, tensors.AttentionMask), tensors.Labels!).backward();
                optimizer.step();
                optimizer.zero_grad();
            }
        });
    }

    private static void WhileCollecting(Action work)
    {
        bool stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try
        {
            work();
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }
    }

    /// <summary>A weight that decays and a bias that does not, with a deterministic loss.</summary>
    private sealed class Parameters : IDisposable
    {
        public Parameters(int seed, int size = 16)
        {
            using var generator = new Generator((ulong)seed);
            Weight = new Parameter(randn(size, size, generator: generator));
            Bias = new Parameter(randn(size, generator: generator));
        }

        public Parameter Weight { get; }

        public Parameter Bias { get; }

        public AdamW.ParamGroup[] Groups(double rate) =>
        [
            new AdamW.ParamGroup([Weight], rate, 0.9, 0.999, 1e-8, 0.01),
            new AdamW.ParamGroup([Bias], rate, 0.9, 0.999, 1e-8, 0.0),
        ];

        /// <summary>Numbers go in as held Scalars here too: this runs while garbage collections are forced.</summary>
        public void Backward(int step)
        {
            using var scope = NewDisposeScope();
            using var one = 1.ToScalar();
            using var factor = (step + 1).ToScalar();
            var input = linspace(-1, 1, Weight.shape[1]).unsqueeze(0);
            input.matmul(Weight).add_(Bias, one).sin().mul(factor).sum().backward();
        }

        public void Dispose()
        {
            Weight.Dispose();
            Bias.Dispose();
        }
    }
}
