using System.Data.Common;

namespace Vigil.Storage.Relational;

/// <summary>Parameters on a provider's own command (for statements run many times with new values).</summary>
internal static class DbCommandExtensions
{
    /// <summary>Adds parameter <paramref name="name"/> (with its prefix, <c>@x</c>) with <paramref name="value"/> (null: SQL NULL).</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
