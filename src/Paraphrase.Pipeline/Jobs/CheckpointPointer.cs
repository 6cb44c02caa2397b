namespace Paraphrase.Pipeline.Jobs;

/// <summary>
/// <c>runs/&lt;id&gt;/checkpoints/latest.json</c>: the complete checkpoint a new training attempt resumes from. Each
/// checkpoint is uploaded whole into a folder of its own (<c>checkpoints/step-&lt;n&gt;/</c>) before this pointer moves to
/// it, so a worker killed mid-upload leaves the previous checkpoint in use, never a mix of two.
/// </summary>
/// <param name="Folder">The checkpoint's folder in the runs container.</param>
/// <param name="OptimizerSteps">Optimizer steps trained at the checkpoint.</param>
public sealed record CheckpointPointer(string Folder, int OptimizerSteps);
