using Paraphrase.Training.Data;
using Paraphrase.Training.Optimization;
using Paraphrase.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

/// <summary>
/// The project's AdamW (one multi-tensor kernel per group) against TorchSharp's per-tensor AdamW, its checkpoints, its
/// gradients set to none, the clipping that stays on the device, and garbage collections during its native calls.
/// </summary>
public sealed class MultiTensorAdamWTests
{
    /// <summary>Enough 1024 × 1024 steps for TorchSharp's own AdamW to fail here every time.</summary>
    private const int Steps = 200;

    /// <summary>Same arithmetic in another order: float32 rounding apart, well inside the 1e-4 trajectory tolerance.</summary>
    private const double Tolerance = 1e-6;

    [Fact]
    public void FollowsTorchSharpsPerTensorAdamWWithTwoGroupsAndALearningRateSchedule()
    {
        LibTorchRuntime.EnsureLoaded();
        using var ours = new Parameters(seed: 3);
        using var theirs = new Parameters(seed: 3);
        using var fused = new MultiTensorAdamW(ours.Groups(5e-3), 5e-3, 0.9, 0.999, 1e-8, 0.01);
        using var reference = optim.AdamW(theirs.Groups(5e-3), 5e-3, 0.9, 0.999, 1e-8, 0.01);
        for (int step = 0; step < 8; step++)
        {
            double rate = 5e-3 * (1 - step / 8.0);
            AdamWFactory.SetLearningRate(fused, rate);
            AdamWFactory.SetLearningRate(reference, rate);
            ours.Backward(step);
            theirs.Backward(step);
            fused.step();
            reference.step();
            fused.zero_grad();
            reference.zero_grad();
        }

        AssertClose(theirs.Weight, ours.Weight, "weight");
        AssertClose(theirs.Bias, ours.Bias, "bias (no weight decay)");
        using var initial = new Parameters(seed: 3);
        Assert.False(ours.Weight.allclose(initial.Weight), "the weights did not move");
        Assert.False(ours.Bias.allclose(initial.Bias), "the biases did not move");
    }

    [Fact]
    public void ACheckpointTakenMidwayResumesOnTheSameTrajectory()
    {
        LibTorchRuntime.EnsureLoaded();
        using var straight = new Parameters(seed: 7);
        using var straightOptimizer = new MultiTensorAdamW(straight.Groups(1e-2), 1e-2, 0.9, 0.999, 1e-8, 0.01);
        for (int step = 0; step < 6; step++)
        {
            Step(straight, straightOptimizer, step);
        }

        using var first = new Parameters(seed: 7);
        using var firstOptimizer = new MultiTensorAdamW(first.Groups(1e-2), 1e-2, 0.9, 0.999, 1e-8, 0.01);
        for (int step = 0; step < 3; step++)
        {
            Step(first, firstOptimizer, step);
        }

        var saved = new MemoryStream();
        firstOptimizer.save_state_dict(new BinaryWriter(saved));
        using var resumed = new Parameters(seed: 7);
        resumed.CopyFrom(first);
        using var resumedOptimizer = new MultiTensorAdamW(resumed.Groups(1e-2), 1e-2, 0.9, 0.999, 1e-8, 0.01);
        saved.Position = 0;
        resumedOptimizer.load_state_dict(new BinaryReader(saved));
        for (int step = 3; step < 6; step++)
        {
            Step(resumed, resumedOptimizer, step);
        }

        Assert.True(Same(resumed.Weight, straight.Weight), "the resumed run left the uninterrupted one's trajectory");
        Assert.True(Same(resumed.Bias, straight.Bias), "the resumed run left the uninterrupted one's trajectory");
    }

    [Fact]
    public void GradientsAreDroppedAndTheNextBackwardWritesThemAfresh()
    {
        LibTorchRuntime.EnsureLoaded();
        using var parameters = new Parameters(seed: 9);
        using var optimizer = new MultiTensorAdamW(parameters.Groups(1e-3), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        parameters.Backward(0);
        using var once = parameters.Weight.grad!.clone();
        optimizer.zero_grad();
        Assert.Null(parameters.Weight.grad);
        Assert.Null(parameters.Bias.grad);
        parameters.Backward(0);
        Assert.True(Same(parameters.Weight.grad!, once), "the gradient after zero_grad is not the fresh one");
    }

    [Theory]
    [InlineData(0.5)]  // clips
    [InlineData(1e6)]  // leaves the gradients alone
    public void ClippingMatchesTorchSharpsClipGradNormWithoutLeavingTheDevice(double maxNorm)
    {
        LibTorchRuntime.EnsureLoaded();
        using var ours = new Parameters(seed: 11);
        using var theirs = new Parameters(seed: 11);
        ours.Backward(2);
        theirs.Backward(2);
        using var norm = GradientClipping.ClipGlobalNorm([ours.Weight, ours.Bias], maxNorm);
        double expected = nn.utils.clip_grad_norm_([theirs.Weight, theirs.Bias], maxNorm);
        Assert.Equal(expected, norm.item<float>(), expected * 1e-6);
        AssertClose(theirs.Weight.grad!, ours.Weight.grad!, "clipped weight gradient");
        AssertClose(theirs.Bias.grad!, ours.Bias.grad!, "clipped bias gradient");
    }

    [Fact]
    public void StepsCorrectlyWhileAnotherThreadForcesGarbageCollections()
    {
        LibTorchRuntime.EnsureLoaded();
        using var ours = new Parameters(seed: 5, size: 1024);
        using var quiet = new Parameters(seed: 5, size: 1024);
        using var fused = new MultiTensorAdamW(ours.Groups(1e-3), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        using var reference = new MultiTensorAdamW(quiet.Groups(1e-3), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        for (int step = 0; step < Steps; step++)
        {
            Step(quiet, reference, step);
        }

        WhileCollecting(() =>
        {
            for (int step = 0; step < Steps; step++)
            {
                Step(ours, fused, step);
            }
        });

        Assert.True(Same(ours.Weight, quiet.Weight), "steps taken during garbage collections differ");
    }

    /// <summary>Forward, backward and step pass LibTorch no temporary Scalars (with <c>a + b</c> in the model and TorchSharp's AdamW this fails within seconds).</summary>
    [Fact]
    public void TrainingStepsOfTheModelSurviveGarbageCollectionsDuringNativeCalls()
    {
        LibTorchRuntime.EnsureLoaded();
        using var model = TinyBert.LoadModel();
        model.train();
        using var optimizer = AdamWFactory.Create(model, 1e-3, 0.9, 0.999, 1e-8, 0.01, decayBiasAndNorm: false);
        var batch = TinyBert.Batch(TinyBert.Reference.GetProperty("eval_initial")[0].GetProperty("batch"));
        WhileCollecting(() =>
        {
            for (int step = 0; step < 100; step++)
            {
                using var scope = NewDisposeScope();
                using var tensors = BatchTensors.From(batch, CPU);
                nn.functional.cross_entropy(model.call(tensors.InputIds, tensors.TokenTypeIds, tensors.AttentionMask), tensors.Labels!).backward();
                GradientClipping.ClipGlobalNorm(model.parameters(), 1.0);
                optimizer.step();
                optimizer.zero_grad();
            }
        });
    }

    private static void Step(Parameters parameters, optim.Optimizer optimizer, int step)
    {
        AdamWFactory.SetLearningRate(optimizer, 1e-2 * (1 - step / 8.0));
        parameters.Backward(step);
        optimizer.step();
        optimizer.zero_grad();
    }

    private static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= Tolerance, $"{what}: differs from TorchSharp's by {difference:E2}");
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

        public void CopyFrom(Parameters other)
        {
            using var noGrad = no_grad();
            Weight.copy_(other.Weight);
            Bias.copy_(other.Bias);
        }

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
