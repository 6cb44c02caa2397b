namespace Paraphrase.Serving;

/// <summary>A loaded model and how many batches are using it.</summary>
public sealed class ServedModel
{
    private int _users = 1; // the registry's own reference, dropped on Retire

    public ServedModel(ParaphraseClassifier classifier, string source, DateTimeOffset loaded)
    {
        Classifier = classifier;
        Source = source;
        Loaded = loaded;
        // Computed once here, not per response: the id looks at the file system.
        Id = Path.GetFileName(Path.TrimEndingDirectorySeparator(
            Directory.Exists(source) ? source : Path.GetDirectoryName(Path.GetFullPath(classifier.ModelPath))!));
        var parts = Path.GetFileNameWithoutExtension(classifier.ModelPath).Split('.');
        Variant = parts is ["model", "portable" or "fused" or "int8"] ? parts[1] : "onnx";
    }

    public ParaphraseClassifier Classifier { get; }

    public string Source { get; }

    public DateTimeOffset Loaded { get; }

    /// <summary>The model's folder name, e.g. mrpc.</summary>
    public string Id { get; }

    /// <summary>portable, fused, int8, or onnx for any other file.</summary>
    public string Variant { get; }

    internal bool TryEnter()
    {
        int users;
        do
        {
            users = Volatile.Read(ref _users);
            if (users == 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _users, users + 1, users) != users);

        return true;
    }

    internal void Exit()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            Classifier.Dispose();
        }
    }

    internal void Retire() => Exit();
}
