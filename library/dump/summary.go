package dump

// Summary counts what an operation copied, table by table in order.
type Summary struct {
	Tables []TableCount
	Rows   int64
}

// TableCount is one table's rows.
type TableCount struct {
	Table string
	Rows  int64
}

func (s *Summary) add(table string, n int64) {
	s.Tables = append(s.Tables, TableCount{table, n})
	s.Rows += n
}

// Progress follows a copy: done of total rows.
type Progress func(done, total int64)

func report(p Progress, done, total int64) {
	if p != nil {
		p(done, total)
	}
}
