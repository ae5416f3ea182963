-- A database created by the last release before Alembic (commit 5211587, knowledge/db.py init_db), with a few rows.
-- Used by tests/knowledge/test_migrations.py; regenerate only to add another historical schema.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE agencies (
	id INTEGER NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	name_norm VARCHAR(300) NOT NULL, 
	license_number VARCHAR(120) NOT NULL, 
	license_norm VARCHAR(120) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	valid_until DATE, 
	province VARCHAR(120) NOT NULL, 
	city VARCHAR(120) NOT NULL, 
	address TEXT NOT NULL, 
	phone VARCHAR(60) NOT NULL, 
	countries TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (license_norm)
);
INSERT INTO agencies VALUES(1,'PT Contoh Lama','contoh lama','KEP.1/PPTKIS/I/2020','KEP1PPTKISI2020','aktif',NULL,'','','','','Taiwan','2026-11-20 00:00:00+00:00');
CREATE TABLE datasets (
	name VARCHAR(40) NOT NULL, 
	as_of DATE, 
	source_file VARCHAR(500) NOT NULL, 
	is_demo BOOLEAN NOT NULL, 
	row_count INTEGER DEFAULT '0' NOT NULL, 
	version INTEGER NOT NULL, 
	imported_at DATETIME NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE messages (
	id INTEGER NOT NULL, 
	user_id VARCHAR(200) NOT NULL, 
	channel VARCHAR(20) NOT NULL, 
	direction VARCHAR(3) NOT NULL, 
	text TEXT NOT NULL, 
	buttons JSON, 
	status VARCHAR(20) NOT NULL, 
	external_id VARCHAR(200), 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_messages_channel_external_id UNIQUE (channel, external_id)
);
INSERT INTO messages VALUES(1,'42','telegram','in','pesan 0',NULL,'answered','tg-1','2026-11-20 00:00:00+00:00');
INSERT INTO messages VALUES(2,'42','telegram','in','pesan 1',NULL,'answered','tg-2','2026-11-20 00:00:00+00:00');
INSERT INTO messages VALUES(3,'42','telegram','in','pesan 2',NULL,'answered',NULL,'2026-11-20 00:00:00+00:00');
CREATE TABLE vacancies (
	id INTEGER NOT NULL, 
	source VARCHAR(80) NOT NULL, 
	source_id VARCHAR(200) NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	company VARCHAR(300) NOT NULL, 
	headcount INTEGER, 
	city VARCHAR(120) NOT NULL, 
	province VARCHAR(120) NOT NULL, 
	region_code VARCHAR(10), 
	province_code VARCHAR(10), 
	sector VARCHAR(200) NOT NULL, 
	education VARCHAR(200) NOT NULL, 
	education_level INTEGER, 
	skills TEXT NOT NULL, 
	experience VARCHAR(200) NOT NULL, 
	salary_min INTEGER, 
	salary_max INTEGER, 
	posted_at DATE, 
	expires_at DATE, 
	country VARCHAR(80) NOT NULL, 
	agency_license VARCHAR(120) NOT NULL, 
	agency_license_norm VARCHAR(120) NOT NULL, 
	url VARCHAR(1000) NOT NULL, 
	description TEXT NOT NULL, 
	group_key VARCHAR(400) NOT NULL, 
	is_demo BOOLEAN DEFAULT '0' NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	first_seen DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_vacancies_source_id UNIQUE (source, source_id)
);
CREATE TABLE escalations (
	id INTEGER NOT NULL, 
	user_id VARCHAR(200) NOT NULL, 
	channel VARCHAR(20) NOT NULL, 
	reason VARCHAR(40) NOT NULL, 
	priority VARCHAR(10) NOT NULL, 
	priority_rank INTEGER NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	details JSON NOT NULL, 
	assigned_to VARCHAR(80), 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	resolved_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE TABLE staff_users (
	id INTEGER NOT NULL, 
	username VARCHAR(80) NOT NULL, 
	password_hash VARCHAR(100) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (username)
);
CREATE TABLE trainings (
	id INTEGER NOT NULL, 
	natural_key VARCHAR(400) NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	provider VARCHAR(300) NOT NULL, 
	city VARCHAR(120) NOT NULL, 
	province VARCHAR(120) NOT NULL, 
	region_code VARCHAR(10), 
	province_code VARCHAR(10), 
	field VARCHAR(200) NOT NULL, 
	start_date DATE, 
	end_date DATE, 
	fee INTEGER NOT NULL, 
	quota INTEGER, 
	registration_url VARCHAR(1000) NOT NULL, 
	description TEXT NOT NULL, 
	search_terms TEXT NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	is_demo BOOLEAN DEFAULT '0' NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (natural_key)
);
CREATE TABLE vacancy_terms (
	term VARCHAR(80) NOT NULL, 
	vacancy_id INTEGER NOT NULL, 
	scope VARCHAR(90) NOT NULL, 
	expires_at DATE NOT NULL, 
	posted_at DATE NOT NULL, 
	PRIMARY KEY (term, vacancy_id), 
	FOREIGN KEY(vacancy_id) REFERENCES vacancies (id) ON DELETE CASCADE
);
CREATE INDEX ix_agencies_name_norm ON agencies (name_norm);
CREATE INDEX ix_messages_user_time ON messages (channel, user_id, id);
CREATE INDEX ix_vacancies_group ON vacancies (group_key);
CREATE INDEX ix_vacancies_region ON vacancies (region_code, expires_at);
CREATE INDEX ix_vacancies_country ON vacancies (country, expires_at);
CREATE INDEX ix_escalations_user ON escalations (channel, user_id);
CREATE INDEX ix_escalations_queue ON escalations (status, priority_rank, created_at);
CREATE INDEX ix_trainings_region ON trainings (region_code, end_date);
CREATE INDEX ix_vacancy_terms_recent ON vacancy_terms (term, posted_at);
CREATE INDEX ix_vacancy_terms_vacancy ON vacancy_terms (vacancy_id);
CREATE INDEX ix_vacancy_terms_scope ON vacancy_terms (term, scope, expires_at);
COMMIT;
