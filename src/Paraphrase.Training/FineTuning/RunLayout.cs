namespace Paraphrase.Training.FineTuning;

/// <summary>
/// The files of a run directory. The directory itself is a Hugging Face model directory holding the best
/// model so far (config.json, model.safetensors, vocab.txt); beside it metrics.json, report.md and plots,
/// and checkpoints/last with what <c>--resume</c> needs.
/// </summary>
public sealed record RunLayout(string Directory)
{
    public string Metrics => Path.Combine(Directory, Core.Artifacts.RunMetrics.FileName);

    public string Report => Path.Combine(Directory, "report.md");

    public string LossPlot => Path.Combine(Directory, "loss.png");

    public string ConfusionPlot => Path.Combine(Directory, "confusion.png");

    public string LastCheckpoint => Path.Combine(Directory, "checkpoints", "last");

    public string CheckpointState => Path.Combine(LastCheckpoint, "trainer_state.json");

    public string CheckpointOptimizer => Path.Combine(LastCheckpoint, "optimizer.bin");

    public bool HasCheckpoint => File.Exists(CheckpointState);
}
