using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Optimization;

/// <summary>
/// torch's AdamW with each parameter group updated by one multi-tensor kernel (<see cref="MultiTensorKernels.AdamW"/>)
/// instead of nine operations per parameter (TorchSharp's step), and gradients set to none instead of filled with zeros.
/// The arithmetic is AdamW's, in another order, so results agree with the per-tensor step to rounding (see its tests),
/// not bit for bit. State, parameter groups and checkpoints are TorchSharp AdamW's, unchanged: the step count is kept on
/// the host for checkpoints and, for the kernel, in one tensor per group on the parameters' device, so a step never
/// waits for the device.
/// </summary>
public sealed class MultiTensorAdamW : AdamW
{
    private readonly Dictionary<ParamGroup, DeviceStepCount> _deviceSteps = new(ReferenceEqualityComparer.Instance);

    public MultiTensorAdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        if (options.amsgrad == true || options.maximize == true)
        {
            throw new NotSupportedException("amsgrad and maximize are not used by this project's training");
        }

        var parameters = new List<Tensor>();
        var grads = new List<Tensor>();
        var expAvgs = new List<Tensor>();
        var expAvgSqs = new List<Tensor>();
        long stepsBefore = -1;
        foreach (var parameter in group.Parameters)
        {
            if (parameter.grad is not { } grad)
            {
                continue;
            }

            var state = (State)_state[parameter.Handle];
            stepsBefore = state.step;
            state.step += 1;
            parameters.Add(parameter);
            grads.Add(grad);
            expAvgs.Add(state.exp_avg);
            expAvgSqs.Add(state.exp_avg_sq);
        }

        if (parameters.Count == 0)
        {
            return;
        }

        var steps = StepCount(group, stepsBefore, parameters[0].device);
        MultiTensorKernels.AdamW([.. parameters], [.. grads], [.. expAvgs], [.. expAvgSqs], [.. Enumerable.Repeat(steps, parameters.Count)],
            options.LearningRate!.Value, options.beta1!.Value, options.beta2!.Value, options.weight_decay!.Value, options.eps!.Value);
    }, closure);

    /// <summary>Drops the gradients: the next backward pass writes them afresh instead of adding to zeros.</summary>
    public override void zero_grad()
    {
        foreach (var parameter in parameters())
        {
            parameter.grad = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var count in _deviceSteps.Values)
        {
            count.Tensor.Dispose();
        }

        _deviceSteps.Clear();
        base.Dispose(disposing);
    }

    /// <summary>
    /// The group's step count on <paramref name="device"/>, advanced to this step. It is rewritten from the host's count
    /// when the two part (the first step, a loaded checkpoint, a move to another device), which costs no wait either.
    /// </summary>
    private Tensor StepCount(ParamGroup group, long stepsBefore, Device device)
    {
        if (!_deviceSteps.TryGetValue(group, out var count) || count.Steps != stepsBefore
            || count.Tensor.device_type != device.type || count.Tensor.device_index != device.index)
        {
            count?.Tensor.Dispose();
            // Detached: the step runs inside a dispose scope, and this tensor outlives it.
            count = new DeviceStepCount(tensor((float)stepsBefore, ScalarType.Float32, device).DetachFromDisposeScope());
            _deviceSteps[group] = count;
        }

        count.Tensor.add_(Runtime.HeldScalars.One, Runtime.HeldScalars.One); // value and alpha both held: add_(x) alone makes a temporary alpha
        count.Steps = stepsBefore + 1;
        return count.Tensor;
    }

    private sealed class DeviceStepCount(Tensor tensor)
    {
        public Tensor Tensor { get; } = tensor;

        public long Steps { get; set; } = -1;
    }
}
