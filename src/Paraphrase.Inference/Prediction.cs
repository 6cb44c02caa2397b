namespace Paraphrase.Inference;

/// <summary>One pair's result: the label (1 = paraphrase), the probability of paraphrase, the raw logits.</summary>
public sealed record Prediction(int Label, double Probability, float[] Logits, bool Truncated);
