namespace Paraphrase.Serving;

/// <summary>A prediction and the model that computed it: a swap may land between two batches of one request.</summary>
public readonly record struct ServedPrediction(Prediction Prediction, ServedModel Model);
