using System.Data.Common;
using Herald.Audit.Stores;
using Npgsql;

namespace Herald.Audit;

/// <summary>Chooses the audit backend from one connection string (docs/audit.md, "Backends").</summary>
public static class AuditStoreFactory
{
    /// <summary>
    /// No connection string: SQLite at <paramref name="defaultSqlitePath"/>. A PostgreSQL URI
    /// (<c>postgres://</c> or <c>postgresql://</c>) or a keyword string with <c>Host</c> or <c>Server</c>:
    /// PostgreSQL. A keyword string with <c>Data Source</c> or <c>Filename</c>: SQLite at that file.
    /// Anything else is refused, so a mistyped PostgreSQL string never falls back to a local file.
    /// </summary>
    /// <param name="sqliteBusyTimeout">How long a SQLite write waits for another writer's lock (default 30 seconds).</param>
    public static SqlAuditStore Create(string? connectionString, string defaultSqlitePath, TimeSpan? sqliteBusyTimeout = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return new SqliteAuditStore(defaultSqlitePath, sqliteBusyTimeout);
        }

        if (PostgresConnectionString(connectionString) is { } postgres)
        {
            return new PostgresAuditStore(postgres);
        }

        var keywords = new DbConnectionStringBuilder();
        try
        {
            keywords.ConnectionString = connectionString.Trim();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The audit connection string is not a keyword=value string or a postgres:// URI: {e.Message}", nameof(connectionString), e);
        }

        foreach (var key in new[] { "Data Source", "DataSource", "Filename" })
        {
            if (keywords.TryGetValue(key, out var path) && path is string file && file.Length > 0)
            {
                return new SqliteAuditStore(file, sqliteBusyTimeout);
            }
        }

        throw new ArgumentException(
            "The audit connection string names neither a PostgreSQL host (Host=... or postgres://...) nor a SQLite file (Data Source=...).",
            nameof(connectionString));
    }

    /// <summary>
    /// The Npgsql connection string when <paramref name="connectionString"/> selects PostgreSQL (by the rules of
    /// <see cref="Create"/>), or null when it selects SQLite: what else shares the audit's database (the replicas' jti
    /// check) connects with this.
    /// </summary>
    public static string? PostgresConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var trimmed = connectionString.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return FromPostgresUri(trimmed);
        }

        var keywords = new DbConnectionStringBuilder();
        try
        {
            keywords.ConnectionString = trimmed;
        }
        catch (ArgumentException)
        {
            return null; // Create refuses it with the reason.
        }

        return keywords.ContainsKey("Host") || keywords.ContainsKey("Server") ? trimmed : null;
    }

    /// <summary>The backend and where it writes ("SQLite at /path/audit.db", "PostgreSQL at host:5432/herald"), without credentials.</summary>
    public static string Describe(IAuditStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store is SqlAuditStore sql ? sql.Description : store.GetType().Name;
    }

    /// <summary>The backend the writer writes to, as <see cref="Describe(IAuditStore)"/>.</summary>
    public static string Describe(DurableAuditWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return Describe(writer.Inner);
    }

    /// <summary>postgres://user:password@host:port/database?sslmode=require as an Npgsql connection string.</summary>
    internal static string FromPostgresUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw new ArgumentException("The PostgreSQL URI has no host.", nameof(uri));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = parsed.Host };
        if (parsed.Port > 0)
        {
            builder.Port = parsed.Port;
        }

        var userInfo = parsed.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        var database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            try
            {
                // libpq spells it sslmode; Npgsql knows "SSL Mode". Other keywords Npgsql understands pass through.
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"The PostgreSQL URI option '{key}' is not one Npgsql knows.", nameof(uri), e);
            }
        }

        return builder.ConnectionString;
    }
}
