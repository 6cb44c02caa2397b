namespace Paraphrase.Core.IO;

/// <summary>
/// Publishes a directory all at once: the content is written into a hidden sibling, then renamed into
/// place (the previous version, if any, is moved aside first and deleted after). Readers see the old
/// directory or the new one, never a half-written mix; a crash leaves only a hidden leftover.
/// </summary>
public static class AtomicDirectory
{
    public static void Write(string path, Action<string> write)
    {
        string target = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(target)!;
        string name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.partial");
        string previous = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            if (Directory.Exists(target))
            {
                Directory.Move(target, previous);
            }

            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            if (Directory.Exists(previous))
            {
                Directory.Delete(previous, recursive: true);
            }
        }
    }
}
