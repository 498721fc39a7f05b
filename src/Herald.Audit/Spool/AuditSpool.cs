using System.Text;
using System.Text.Json;

namespace Herald.Audit.Spool;

/// <summary>
/// The spool's files: writes the store refused, one JSON line each (<see cref="AuditWrite"/>), appended and flushed to
/// disk before the call returns. A drain first moves the current file aside (<c>*.draining</c>) so new lines go on into
/// a fresh one; lines that can never be stored go to the rejected file for an operator. Owner-only: it holds patient data.
/// One process at a time: the spool holds an exclusive lock on <see cref="LockFileName"/> (an advisory file lock,
/// released by the system when the process ends, however it ends), so a second server given the same directory
/// cannot drain lines the first is still appending, or delete a file the first has just written to.
/// </summary>
internal sealed class AuditSpool : IDisposable
{
    public const string SpoolFileName = "audit-spool.jsonl";
    public const string RejectedFileName = "audit-spool.rejected.jsonl";
    public const string LockFileName = "audit-spool.lock";

    // Who holds the lock, for the message a second process gives (the lock file itself cannot be read while locked).
    public const string OwnerFileName = "audit-spool.owner";
    private const string DrainingPattern = "audit-spool-*.draining";

    private static readonly UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    private readonly SemaphoreSlim fileLock = new(1, 1);
    private readonly TimeProvider time;
    private FileStream? ownership;

    /// <exception cref="AuditSpoolInUseException">Another process holds the directory.</exception>
    public AuditSpool(string directory, TimeProvider time)
    {
        Directory = Path.GetFullPath(directory);
        this.time = time;
        try
        {
            TakeOwnership();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not AuditSpoolInUseException)
        {
            // The directory cannot be made now (a full disk, a path through a file): the server still starts, as it
            // does with the database down, and every use of the spool tries again.
        }
    }

    public string Directory { get; }

    /// <summary>Releases the directory for another process.</summary>
    public void Dispose()
    {
        fileLock.Wait();
        try
        {
            ownership?.Dispose();
            ownership = null;
        }
        finally
        {
            fileLock.Release();
        }
    }

    // Called with fileLock held (or from the constructor): every file operation first holds the directory.
    private void TakeOwnership()
    {
        if (ownership is not null)
        {
            return;
        }

        var path = Path.Combine(Directory, LockFileName);
        FileStream stream;
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux and macOS, and a sharing lock on Windows.
            stream = new FileStream(path, OwnerOnly(new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None }));
        }
        catch (IOException e) when (File.Exists(path) && e is not (FileNotFoundException or DirectoryNotFoundException))
        {
            throw AuditSpoolInUseException.For(Directory, Holder(), e);
        }

        ownership = stream;
        try
        {
            File.WriteAllText(Path.Combine(Directory, OwnerFileName), $"{Environment.ProcessId} on {Environment.MachineName} since {time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the message a second process gives would lack the holder.
        }
    }

    private string? Holder()
    {
        try
        {
            return File.ReadAllText(Path.Combine(Directory, OwnerFileName)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Appends the writes as lines, flushed to disk once for all of them.</summary>
    public async Task AppendAsync(IReadOnlyList<AuditWrite> writes)
    {
        var text = new StringBuilder();
        foreach (var write in writes)
        {
            text.Append(JsonSerializer.Serialize(write, AuditJsonContext.Default.AuditWrite)).Append('\n');
        }

        await fileLock.WaitAsync().ConfigureAwait(false);
        try
        {
            TakeOwnership();
            AppendDurably(Path.Combine(Directory, SpoolFileName), text.ToString());
        }
        finally
        {
            fileLock.Release();
        }
    }

    public async Task RejectAsync(string line)
    {
        await fileLock.WaitAsync().ConfigureAwait(false);
        try
        {
            TakeOwnership();
            AppendDurably(Path.Combine(Directory, RejectedFileName), line + "\n");
        }
        finally
        {
            fileLock.Release();
        }
    }

    /// <summary>Takes the current spool file aside, so writes go on into a fresh one while it drains.</summary>
    public async Task ClaimAsync()
    {
        await fileLock.WaitAsync().ConfigureAwait(false);
        try
        {
            TakeOwnership();
            var current = Path.Combine(Directory, SpoolFileName);
            if (File.Exists(current))
            {
                File.Move(current, Path.Combine(Directory, $"audit-spool-{time.GetUtcNow().UtcTicks:D20}-{Guid.NewGuid():N}.draining"));
            }
        }
        finally
        {
            fileLock.Release();
        }
    }

    /// <summary>The files being drained, oldest first.</summary>
    public IReadOnlyList<string> DrainingFiles() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, DrainingPattern).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Lines waiting, in the current file and the ones being drained.</summary>
    public int CountLines()
    {
        try
        {
            var current = Path.Combine(Directory, SpoolFileName);
            return DrainingFiles().Append(current).Where(File.Exists)
                .Sum(f => File.ReadLines(f, Encoding.UTF8).Count(l => l.Length > 0));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A line as written, or null when it cannot be read (a write cut short by a crash).</summary>
    public static AuditWrite? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, AuditJsonContext.Default.AuditWrite) is { } write &&
                   (write.Record is null) != (write.Feedback is null)
                ? write
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Replaces a draining file by the lines still to store, or deletes it when there are none.</summary>
    public void Keep(string file, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            File.Delete(file);
            return;
        }

        var temporary = file + ".tmp";
        using (var stream = new FileStream(temporary, OwnerOnly(new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write })))
        {
            foreach (var line in lines)
            {
                stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>Appends text and flushes it to disk before returning: what was appended is safe once this returns.</summary>
    private void AppendDurably(string path, string text)
    {
        using var stream = new FileStream(path, OwnerOnly(new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
        }));
        // A crash can leave a half-written last line; start on a new line so these lines stay whole.
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            if (stream.ReadByte() != '\n')
            {
                stream.WriteByte((byte)'\n');
            }
        }

        stream.Seek(0, SeekOrigin.End);
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The spool holds patient data: only the server's own account may read it.</summary>
    private FileStreamOptions OwnerOnly(FileStreamOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, OwnerOnlyDirectory);
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }
}
