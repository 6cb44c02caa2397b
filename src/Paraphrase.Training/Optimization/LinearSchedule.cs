namespace Paraphrase.Training.Optimization;

/// <summary>
/// Hugging Face's <c>get_linear_schedule_with_warmup</c>: the learning-rate factor rises linearly from 0 over
/// the warm-up steps, then falls linearly to 0 at the last step. Step <c>i</c> uses <c>Factor(i)</c>.
/// </summary>
public sealed record LinearSchedule(int WarmupSteps, int TotalSteps)
{
    public double Factor(int step)
    {
        if (step < WarmupSteps)
        {
            return (double)step / Math.Max(1, WarmupSteps);
        }

        return Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
