namespace Paraphrase.Serving;

/// <summary>Use of a model for one batch.</summary>
public readonly struct ModelLease(ServedModel model) : IDisposable
{
    public ServedModel Model { get; } = model;

    public void Dispose() => Model.Exit();
}
