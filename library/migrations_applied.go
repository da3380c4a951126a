package library

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// AppliedMigrations is how many steps of each component the database has run.
func AppliedMigrations(ctx context.Context, db *gorm.DB) (map[string]int, error) {
	var rows []struct {
		Component string
		N         int
	}
	err := db.WithContext(ctx).Table("schema_migrations").Select("component, COUNT(*) AS n").Group("component").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("library: read migrations: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Component] = r.N
	}
	return out, nil
}
