namespace Paraphrase.Training.Checkpoints;

/// <summary>What loading a state dict into a model did: how many tensors were copied, which were missing or unused.</summary>
public sealed record WeightLoadReport(int Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> Ignored);
