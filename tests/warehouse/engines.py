"""The engines the warehouse SQL runs on, each loading a `datasets.Table` and
running one dialect's SQL to a header and rows of text.

* DuckDB, in memory;
* PostgreSQL, through `psql` on the private cluster that
  scripts/check-warehouse-sql.sh starts (PGHOST, PGPORT, PGUSER, PGDATABASE);
* Spark SQL, pyspark in local mode, one session for every table;
* BigQuery and Snowflake, which cannot run here: their SQL is parsed by
  sqlglot in that dialect, its type names checked against the dialect's own,
  then transpiled to DuckDB and run there. The Snowflake tables get upper-case
  names, as Snowflake stores names created without quotes, and every quoted
  name the SQL reads must match one exactly (Snowflake compares quoted names
  case-sensitively; DuckDB would not notice).
"""
import csv
import io
import os
import re
import subprocess
from decimal import Decimal

from datasets import BIGINT, BOOLEAN, DOUBLE, INTEGER, MONEY, TEXT, TIMESTAMP


class EngineError(Exception):
    """The engine refused the SQL or the data; the message says why."""


def cell(v):
    """One result value as text, as the app would read it from a CSV."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def first_line(e):
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:300]


class DuckDB:
    name = "duckdb"
    dialect = "duckdb"
    TYPES = {BIGINT: "BIGINT", INTEGER: "INTEGER", TEXT: "VARCHAR", DOUBLE: "DOUBLE",
             MONEY: "DECIMAL(12,2)", BOOLEAN: "BOOLEAN", TIMESTAMP: "TIMESTAMP"}

    def __init__(self, work):
        import duckdb
        self.duckdb = duckdb
        self.con = duckdb.connect()
        self.version = f"DuckDB {duckdb.__version__}"

    def stored(self, name):
        """A name as this engine stores it (Snowflake upper-cases)."""
        return name

    def load(self, table):
        s = self.stored
        columns = ", ".join(f"'{s(c)}': '{self.TYPES[t]}'" for c, t in table.columns)
        self.con.execute(f'CREATE SCHEMA IF NOT EXISTS "{s(table.schema)}"')
        self.con.execute(
            f'CREATE TABLE "{s(table.schema)}"."{s(table.name)}" AS SELECT * FROM read_csv(?, '
            f"header = true, nullstr = '', auto_detect = false, columns = {{{columns}}})",
            [table.path])

    def execute(self, sql):
        try:
            cur = self.con.execute(sql)
            rows = cur.fetchall()
        except self.duckdb.Error as e:
            raise EngineError(first_line(e)) from e
        return [d[0] for d in cur.description], [[cell(v) for v in r] for r in rows]

    def run(self, sql, table):
        return self.execute(sql)


class PostgreSQL:
    name = "postgresql"
    dialect = "postgresql"
    TYPES = {BIGINT: "bigint", INTEGER: "integer", TEXT: "text", DOUBLE: "double precision",
             MONEY: "numeric(12,2)", BOOLEAN: "boolean", TIMESTAMP: "timestamp"}

    def __init__(self, work):
        if not os.environ.get("PGHOST"):
            raise EngineError("no server: PGHOST is not set (scripts/check-warehouse-sql.sh "
                              "starts a private PostgreSQL cluster and sets it)")
        self.work = work
        _, rows = self.psql("SHOW server_version;")
        self.version = f"PostgreSQL {rows[0][0].split()[0]}"

    def psql(self, script):
        path = os.path.join(self.work, "pg-script.sql")
        with open(path, "w") as f:
            f.write(script)
        done = subprocess.run(
            [os.environ.get("PSQL", "psql"), "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1", "-f", path],
            capture_output=True, text=True)
        if done.returncode != 0:
            raise EngineError(first_line(done.stderr.replace("psql:" + path + ":", "line ")))
        rows = list(csv.reader(io.StringIO(done.stdout)))
        return (rows[0], rows[1:]) if rows else ([], [])

    def load(self, table):
        columns = ", ".join(f'"{c}" {self.TYPES[t]}' for c, t in table.columns)
        self.psql(f'CREATE SCHEMA IF NOT EXISTS "{table.schema}";\n'
                  f'CREATE TABLE "{table.schema}"."{table.name}" ({columns});\n'
                  # \copy reads the file as this user, not as the server's.
                  f"\\copy \"{table.schema}\".\"{table.name}\" FROM '{table.path}' "
                  f"WITH (FORMAT csv, HEADER true)\n"
                  f'ANALYZE "{table.schema}"."{table.name}";\n')

    def run(self, sql, table):
        return self.psql(sql)


class Spark:
    name = "spark_sql"
    dialect = "spark_sql"
    TYPES = {BIGINT: "BIGINT", INTEGER: "INT", TEXT: "STRING", DOUBLE: "DOUBLE",
             MONEY: "DECIMAL(12,2)", BOOLEAN: "BOOLEAN", TIMESTAMP: "TIMESTAMP"}

    def __init__(self, work):
        from pyspark.sql import SparkSession
        log = os.path.join(work, "spark.log")
        # The JVM's start-up chatter (and any later log line) goes to a file,
        # shown only when Spark fails: the child inherits stderr at launch.
        saved = os.dup(2)
        try:
            with open(log, "w") as f:
                os.dup2(f.fileno(), 2)
            self.spark = (
                SparkSession.builder.master("local[2]").appName("uplift-roi-warehouse-check")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.warehouse.dir", os.path.join(work, "spark-warehouse"))
                .config("spark.local.dir", os.path.join(work, "spark-local"))
                .getOrCreate())
        except Exception as e:
            os.dup2(saved, 2)
            with open(log) as f:
                tail = "".join(f.readlines()[-20:])
            raise EngineError(f"Spark did not start ({first_line(e)}); its log ends:\n{tail}") from e
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        self.spark.sparkContext.setLogLevel("ERROR")
        self.version = f"Spark {self.spark.version}"

    def load(self, table):
        columns = ", ".join(f"`{c}` {self.TYPES[t]}" for c, t in table.columns)
        self.spark.sql(f"CREATE DATABASE IF NOT EXISTS `{table.schema}`")
        # An external table over the CSV; FAILFAST: a value that does not
        # parse stops the load instead of silently becoming NULL.
        self.spark.sql(
            f"CREATE TABLE `{table.schema}`.`{table.name}` ({columns}) USING csv "
            f"OPTIONS (path '{table.path}', header 'true', mode 'FAILFAST')")

    def run(self, sql, table):
        try:
            df = self.spark.sql(sql)
            rows = df.collect()
        except Exception as e:  # pyspark's AnalysisException, ParseException, Py4JError…
            raise EngineError(first_line(e)) from e
        return list(df.columns), [[cell(v) for v in r] for r in rows]

    def stop(self):
        self.spark.stop()


# Type names each dialect has (the SQL casts to them); sqlglot's parse is
# lenient and would let e.g. DOUBLE through in BigQuery.
OWN_TYPES = {
    "bigquery": {"INT64", "FLOAT64", "NUMERIC", "BIGNUMERIC", "BOOL", "STRING", "DATE",
                 "DATETIME", "TIMESTAMP", "INT", "INTEGER", "BIGINT", "SMALLINT", "DECIMAL"},
    "snowflake": {"NUMBER", "DECIMAL", "NUMERIC", "INT", "INTEGER", "BIGINT", "SMALLINT",
                  "FLOAT", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL", "VARCHAR", "STRING",
                  "TEXT", "BOOLEAN", "DATE", "TIMESTAMP", "TIMESTAMP_NTZ"},
}


class ViaSqlglot(DuckDB):
    """A dialect DuckDB cannot read, parsed by sqlglot and run as DuckDB SQL."""

    def __init__(self, work, dialect):
        super().__init__(work)
        import sqlglot
        self.sqlglot = sqlglot
        self.dialect = dialect
        self.name = f"{dialect}→duckdb"
        self.version = f"sqlglot {sqlglot.__version__}"

    def stored(self, name):
        return name.upper() if self.dialect == "snowflake" else name

    def run(self, sql, table):
        from sqlglot import ErrorLevel, exp
        casts = set(re.findall(r"\bAS ([A-Z][A-Z0-9_]*(?: PRECISION)?)\)", sql))
        foreign = sorted(casts - OWN_TYPES[self.dialect])
        if foreign:
            raise EngineError(f"casts to {', '.join(foreign)}, not a {self.dialect} type")
        try:
            trees = [t for t in self.sqlglot.parse(sql, read=self.dialect,
                                                   error_level=ErrorLevel.RAISE) if t]
            if len(trees) != 1:
                raise EngineError(f"{len(trees)} statements, expected one")
            tree = trees[0]
            duck = tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
        except self.sqlglot.errors.SqlglotError as e:
            raise EngineError(f"sqlglot: {first_line(e)}") from e
        if self.dialect == "snowflake":
            names = {self.stored(n) for n in [table.schema, table.name]
                     + [c for c, _ in table.columns]}
            # Quoted names other than the output columns' must be stored names.
            wrong = sorted({i.this for i in tree.find_all(exp.Identifier)
                            if i.quoted and not isinstance(i.parent, exp.Alias)
                            and i.this not in names})
            if wrong:
                raise EngineError(f"quoted names Snowflake would not find: {', '.join(wrong)}")
        return self.execute(duck)


ENGINES = {
    "duckdb": DuckDB,
    "postgresql": PostgreSQL,
    "spark_sql": Spark,
    "bigquery": lambda work: ViaSqlglot(work, "bigquery"),
    "snowflake": lambda work: ViaSqlglot(work, "snowflake"),
}
